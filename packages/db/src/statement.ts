import { getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { type PgColumn, type PgTable, PgTransaction } from "drizzle-orm/pg-core";
import { z } from "zod";
import { type Database, type Executor, queryPrepared, rowsOf } from "./client.js";
import { idArray } from "./json-rows.js";

/**
 * Hand-written SQL for the hot paths (fixed texts, prepared once per connection), made as safe to
 * change as Drizzle's queries: each statement is named in the text it sends (`pg_stat_statements`, logs
 * and `onQuery` show which one ran), its parameters are declared once with their SQL type and how a
 * value is sent, its tables and columns come from the Drizzle schema, and its rows are parsed, not cast.
 */

/** A parameter: the SQL type its placeholder is cast to, and its value as the text both drivers send. */
export class Param<T> {
  constructor(
    readonly type: string,
    readonly send: (value: NonNullable<T>) => string,
    readonly acceptsNull = false,
  ) {}
  nullable(): Param<T | null> {
    return new Param<T | null>(this.type, this.send as (value: NonNullable<T | null>) => string, true);
  }
}

/** Rows as one JSON parameter (see json-rows.ts), checked against their schema and stripped of other keys. */
function json<S extends z.ZodType>(schema: S): Param<z.input<S>> {
  return new Param<z.input<S>>("jsonb", (value) => JSON.stringify(schema.parse(value)));
}

export const param = {
  uuid: () => new Param<string>("uuid", String),
  text: () => new Param<string>("text", String),
  int: () => new Param<number>("int", String),
  /** A string too: lock and catalog versions travel as text, beyond a JavaScript number's precision. */
  bigint: () => new Param<number | bigint | string>("bigint", String),
  boolean: () => new Param<boolean>("boolean", String),
  timestamptz: () => new Param<Date>("timestamptz", (value) => value.toISOString()),
  /** For `= any(...)`: one parameter however many ids, so one plan. */
  uuidArray: () => new Param<readonly string[]>("uuid[]", idArray),
  json,
  /** For `jsonb_to_recordset`: read them with `recordset(rowSchema, p.name, alias)`. */
  jsonRows: <S extends z.ZodType>(row: S) => json(z.array(row)),
};

type Params = Record<string, Param<any>>;
type ArgsOf<P extends Params> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

export type Statement<P extends Params = Params, R extends z.ZodType = z.ZodType> = {
  readonly name: string;
  /** What is sent: the name comment, then the SQL. */
  readonly text: string;
  readonly params: P;
  readonly row: R;
};

/**
 * A statement. `text` gets a placeholder per parameter, `$n::type`, numbered in the order of `params`
 * (the same number each time it is used); a parameter the text never uses is an error here, where
 * PostgreSQL would only fail on the first run, unable to type it.
 */
export function defineStatement<P extends Params, R extends z.ZodType>(definition: {
  name: string;
  params: P;
  row: R;
  text: (p: { readonly [K in keyof P]: string }) => string;
}): Statement<P, R> {
  const { name, params, row } = definition;
  if (!/^[a-z][\w.-]*$/i.test(name)) throw new TypeError(`Statement name ${JSON.stringify(name)}`);
  const unused = new Set(Object.keys(params));
  const p = Object.fromEntries(
    Object.entries(params).map(([key, { type }], i) => [key, `$${i + 1}::${type}`]),
  ) as Record<keyof P, string>;
  const watched = new Proxy(p, {
    get(target, key: string) {
      unused.delete(key);
      return target[key];
    },
  });
  const text = `/* laurel:${name} */\n${definition.text(watched).trim()}`;
  if (unused.size > 0) throw new TypeError(`Statement ${name} never uses ${[...unused].join(", ")}`);
  return { name, text, params, row };
}

/** A row that is not what the statement declares: named by its statement and field. */
export class StatementRowError extends Error {
  constructor(
    readonly statement: string,
    readonly field: string,
    detail: string,
  ) {
    super(`Statement ${statement} returned a row not as declared: ${field || "(row)"}: ${detail}`);
    this.name = "StatementRowError";
  }
}

/**
 * Runs a statement and parses its rows. On a database, through `queryPrepared` (one generic plan per
 * connection); in a transaction, where that cannot go, the same text and parameters through the
 * transaction's own session, so it sees the transaction's rows. Either way `onQuery` sees the text, and
 * timestamps and dates come back as the text PostgreSQL sends, as Drizzle's own raw statements have them.
 * The database's errors come as each path gives them: as they are, or wrapped by Drizzle (`cause`).
 */
export async function runStatement<P extends Params, R extends z.ZodType>(
  executor: Executor,
  statement: Statement<P, R>,
  args: ArgsOf<P>,
): Promise<z.output<R>[]> {
  const values = Object.entries(statement.params).map(([key, param]) => {
    const value = (args as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) return param.send(value);
    if (param.acceptsNull) return null;
    throw new TypeError(`Statement ${statement.name}: parameter ${key} is ${value}, and not nullable`);
  });
  const rows = is(executor, PgTransaction)
    ? await rowsOf<unknown>(
        executor._.session
          .prepareQuery({ sql: statement.text, params: values }, undefined, undefined, false)
          .execute(),
      )
    : await queryPrepared<unknown>(executor as Database, statement.text, values);
  return rows.map((row) => {
    const parsed = statement.row.safeParse(row);
    if (parsed.success) return parsed.data;
    const [issue] = parsed.error.issues;
    throw new StatementRowError(statement.name, issue?.path.join(".") ?? "", issue?.message ?? "");
  });
}

/**
 * PREPAREs the statement on a database, to fail a test when its text no longer fits the schema (a
 * renamed column, a dropped table) without needing the rows it would find.
 */
export async function checkStatement(db: Database, statement: Statement): Promise<void> {
  try {
    // One connection for both: a prepared statement belongs to its session.
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`prepare laurel_check as ${statement.text}`));
      await tx.execute(sql.raw(`deallocate laurel_check`));
    });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    throw new Error(`Statement ${statement.name} does not fit the database: ${cause.message}`, {
      cause: error,
    });
  }
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** A table's name, quoted: a renamed table changes every statement that uses it. */
export const table = (t: PgTable) => quote(getTableName(t));

/** A column's name, quoted: a renamed property is a type error in every statement that uses it. */
export const column = (c: PgColumn) => quote(c.name);

/** Several columns of a table by their property names, quoted and comma-separated, in that order. */
export function columns<T extends PgTable>(
  t: T,
  keys: readonly (keyof T["_"]["columns"] & string)[],
): string {
  const all = getTableColumns(t);
  return keys.map((key) => column(all[key]!)).join(", ");
}

/**
 * `jsonb_to_recordset(source) as alias("key" type, ...)`, its columns the row schema's keys, so the SQL
 * reads the keys the code writes. Types from the schema: `z.uuid()` uuid, `z.iso.datetime()` and `z.date()` timestamptz,
 * other strings text, `z.int()` int, other numbers numeric, booleans boolean, anything else jsonb; or
 * as `.meta({ sql })` says (`z.string().meta({ sql: "bigint" })`).
 */
export function recordset(row: z.ZodObject, source: string, alias: string): string {
  const defs = Object.entries(row.shape).map(([key, schema]) => `${quote(key)} ${sqlTypeOf(schema)}`);
  return `jsonb_to_recordset(${source}) as ${alias}(${defs.join(", ")})`;
}

function sqlTypeOf(schema: z.ZodType): string {
  const meta = schema.meta() as { sql?: string } | undefined;
  if (meta?.sql) return meta.sql;
  const def = schema._zod.def as { type: string; format?: string; innerType?: z.ZodType };
  if (def.innerType) return sqlTypeOf(def.innerType); // nullable, optional, default
  if (def.type === "string") {
    return def.format === "uuid" || def.format === "guid"
      ? "uuid"
      : def.format === "datetime"
        ? "timestamptz"
        : "text";
  }
  if (def.type === "number") return def.format?.includes("int") ? "int" : "numeric";
  if (def.type === "boolean") return "boolean";
  if (def.type === "date") return "timestamptz";
  if (def.type === "enum" || def.type === "literal") return "text";
  return "jsonb";
}
