import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DatabaseHandle, migrateDatabase, openDatabase } from "@laurel/db";
import { createScratchDatabase, dropScratchDatabase } from "@laurel/db/scratch";
import { loadEnv } from "@laurel/api/env.js";
import { createLogger } from "@laurel/api/logger.js";
import { bootstrap } from "@laurel/api/seed/bootstrap.js";

/** Where a phase of the benchmark keeps its data: a scratch PostgreSQL database, or a PGlite folder. */
export type Store = {
  driver: "postgres" | "pglite";
  /** For the API process: DATABASE_URL or LAUREL_DATA_DIR. */
  env: Record<string, string>;
  open(options?: { onQuery?: (query: string) => void }): Promise<DatabaseHandle>;
  dispose(): Promise<void>;
};

/** A fresh, migrated store with Laurel's built-in roles and metrics, on the server in DATABASE_URL if set. */
export async function freshStore(name: string): Promise<Store> {
  const adminUrl = process.env.DATABASE_URL;
  let store: Store;
  if (adminUrl) {
    const url = await createScratchDatabase(adminUrl, `laurel_bench_${name}`);
    store = {
      driver: "postgres",
      env: { DATABASE_URL: url },
      open: (options = {}) => openDatabase({ url, poolSize: 10, ...options }),
      dispose: () => dropScratchDatabase(adminUrl, url),
    };
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), `laurel-bench-${name}-`));
    store = {
      driver: "pglite",
      env: { DATABASE_URL: "", LAUREL_DATA_DIR: dataDir },
      open: (options = {}) => openDatabase({ dataDir, ...options }),
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await store.open();
  try {
    await migrateDatabase(database);
    await bootstrap(
      database.db,
      loadEnv({ LAUREL_DATA_DIR: join(tmpdir(), "laurel-bench") }),
      createLogger("silent", false),
    );
  } finally {
    await database.close();
  }
  return store;
}
