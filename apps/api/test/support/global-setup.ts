import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase, openDatabase, pgliteClient } from "@laurel/db";
import type { TestProject } from "vitest/node";
import { loadEnv } from "../../src/env.js";
import { createLogger } from "../../src/logger.js";
import { bootstrap } from "../../src/seed/bootstrap.js";

/**
 * Prepares one migrated, bootstrapped database for the run. On PostgreSQL (DATABASE_URL set) the test
 * files share it, each working in organizations of its own; on PGlite each file starts from a dump
 * of it, which is five times faster than migrating afresh.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL || undefined;
  if (!url && project.name === "postgres") {
    throw new Error("The postgres suite runs several processes on one PostgreSQL database: set DATABASE_URL");
  }
  const env = loadEnv({ LAUREL_TOKEN_SECRET: "x".repeat(32), NODE_ENV: "test" });
  const logger = createLogger("warn", false);
  if (url) {
    // A missing server fails the run here, loudly, instead of skipping tests.
    const database = await openDatabase({ url });
    await migrateDatabase(database);
    await bootstrap(database.db, env, logger);
    await database.close();
    project.provide("databaseUrl", url);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), "laurel-template-"));
  const database = await openDatabase({});
  await migrateDatabase(database);
  await bootstrap(database.db, env, logger);
  const dump = await pgliteClient(database).dumpDataDir("none");
  const file = join(folder, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgliteTemplate", file);
  return () => rmSync(folder, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl?: string;
    pgliteTemplate?: string;
  }
}
