import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder } from "./migrations-folder.js";
import * as schema from "./schema/index.js";

/**
 * A migrated, empty PGlite data folder, made once by `pnpm build`: a new embedded data folder starts as
 * a copy of it (half a second to a second and a half, with the disk) instead of running PostgreSQL's
 * initdb in WebAssembly and every migration (about 4 s). Its name carries a hash of the migrations and the PGlite version, so a stale
 * one is never used.
 */
const cacheDir = fileURLToPath(new URL("../../../.laurel/cache", import.meta.url));

function pgliteVersion(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
    const pkg = join(
      entry.slice(0, entry.lastIndexOf("node_modules")),
      "node_modules/@electric-sql/pglite/package.json",
    );
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export function templateDir(): string {
  // (The salt names the way it is built: a template made otherwise is never taken for this one.)
  const hash = createHash("sha256").update(pgliteVersion()).update("without-template-databases");
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith(".sql") || file.endsWith("_journal.json")) {
      hash.update(file).update(readFileSync(join(migrationsFolder, file)));
    }
  }
  return join(cacheDir, `pglite-${hash.digest("hex").slice(0, 16)}`);
}

/** Fills an empty data folder from the template, if it has been built; says whether it did. */
export function copyTemplate(dataDir: string): boolean {
  const template = templateDir();
  if (!existsSync(template)) return false;
  cpSync(template, dataDir, { recursive: true });
  return true;
}

/** Builds the template unless it exists. Returns its path. */
export async function buildTemplate(): Promise<string> {
  const template = templateDir();
  if (existsSync(template)) return template;
  mkdirSync(cacheDir, { recursive: true });
  // Built aside and renamed, so a process never copies half a template.
  const partial = `${template}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const client = await PGlite.create({ dataDir: partial });
  try {
    await migrate(drizzle(client, { schema }), { migrationsFolder });
    // Laurel uses the one database, `postgres`: without initdb's two template databases a new data
    // folder is half as many files to copy, the start's longest step on a slow disk.
    for (const name of ["template1", "template0"]) {
      await client.exec(`alter database ${name} is_template false`);
      await client.exec(`drop database ${name}`);
    }
  } finally {
    await client.close();
  }
  try {
    renameSync(partial, template);
  } catch (error) {
    // Another build got there first: theirs is as good.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
  return template;
}
