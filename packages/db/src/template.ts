import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder } from "./migrate.js";
import * as schema from "./schema/index.js";

/**
 * A migrated, empty PGlite database as a tarball, made once by `pnpm build`: a new embedded data folder
 * starts from it instead of running PostgreSQL's initdb in WebAssembly (about 3 s) and every migration.
 * Its name carries a hash of the migrations and the PGlite version, so a stale one is never used.
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

export function templateFile(): string {
  const hash = createHash("sha256").update(pgliteVersion());
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith(".sql") || file.endsWith("_journal.json")) {
      hash.update(file).update(readFileSync(join(migrationsFolder, file)));
    }
  }
  return join(cacheDir, `pglite-${hash.digest("hex").slice(0, 16)}.tar.gz`);
}

/** The template for the current migrations, if it has been built. */
export function readTemplate(): Blob | undefined {
  const file = templateFile();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Builds the template unless it exists. Returns its path. */
export async function buildTemplate(): Promise<string> {
  const file = templateFile();
  if (existsSync(file)) return file;
  const client = await PGlite.create();
  try {
    await migrate(drizzle(client, { schema }), { migrationsFolder });
    const dump = await client.dumpDataDir("gzip");
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a process never reads half a template.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await client.close();
  }
  return file;
}
