import type { Executor } from "@laurel/db";
import { type Column, count, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type ListArgs, pageOf } from "./list.js";

/** One page of rows of a table, for `allX` queries. */
export async function selectPage<T extends PgTable>(
  db: Executor,
  table: T,
  where: SQL | undefined,
  args: ListArgs,
  sortable: Record<string, Column | SQL>,
  fallback = "id",
): Promise<T["$inferSelect"][]> {
  const { limit, offset, orderBy } = pageOf(args, sortable, fallback);
  return (await db
    .select()
    .from(table as PgTable)
    .where(where)
    .orderBy(...orderBy)
    .limit(limit)
    .offset(offset)) as T["$inferSelect"][];
}

/** The row count for `_allXMeta` queries. */
export async function countRows(db: Executor, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Drops the keys whose value is undefined, so an update sets only what the caller sent. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
