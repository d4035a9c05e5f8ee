import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Many rows of a table as one JSON parameter, for batch writes: `insert into t <columns> <select>`.
 * A multi-row VALUES list of a few hundred rows costs Drizzle tens of milliseconds to build (a parameter
 * per cell, each checked and mapped) and PostgreSQL as long to parse; one `jsonb_to_recordset` costs
 * neither. The rows' keys are the table's property names; dates go as ISO strings, JSON columns as JSON.
 */
export function jsonRows<T extends PgTable>(
  table: T,
  rows: readonly Partial<T["$inferInsert"]>[],
): { columns: SQL; select: SQL; names: string[] } {
  const all = getTableColumns(table);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => k in all);
  const names = keys.map((k) => all[k]!.name);
  const json = JSON.stringify(
    rows.map((row) =>
      Object.fromEntries(keys.map((k, i) => [names[i], (row as Record<string, unknown>)[k] ?? null])),
    ),
  );
  const quoted = names.map((n) => `"${n}"`).join(", ");
  const typed = keys.map((k, i) => `"${names[i]}" ${all[k]!.getSQLType()}`).join(", ");
  return {
    columns: sql.raw(`(${quoted})`),
    select: sql`select ${sql.raw(quoted)} from jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(typed)})`,
    names,
  };
}

/** `column = excluded.column` for every column written but the conflict target's own. */
export function excludedSet(names: readonly string[], target: readonly string[]): SQL {
  return sql.raw(
    names
      .filter((n) => !target.includes(n))
      .map((n) => `"${n}" = excluded."${n}"`)
      .join(", "),
  );
}

/**
 * Ids as one PostgreSQL array literal, for `= any($n::uuid[])`: one parameter to parse and plan however
 * many ids, instead of one each. For uuids, which need no quoting.
 */
export function idArray(ids: readonly string[]): string {
  return `{${ids.join(",")}}`;
}
