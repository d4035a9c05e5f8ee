import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Database, DatabaseHandle } from "./client.js";
import { migrationsFolder } from "./migrations-folder.js";
import * as schema from "./schema/index.js";

export { migrationsFolder };

/** Any constant: the advisory lock that lets one of several starting processes migrate at a time. */
const MIGRATION_LOCK = 74_201_993;

/** Applies the committed migrations. Safe when several API processes start together on one database. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase<typeof schema>, { migrationsFolder });
    return;
  }
  // One connection of its own, so the session-level lock and the migration share it:
  // concurrent starters wait on the lock, then find nothing left to do.
  const connection = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(connection, { schema }), { migrationsFolder });
  } finally {
    await connection.end({ timeout: 5 });
  }
}

/** True when the database answers a query. */
export async function isHealthy(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
