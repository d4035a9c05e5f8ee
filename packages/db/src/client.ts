import { mkdirSync, readdirSync } from "node:fs";
import { parse, PGlite, protocol } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.js";
import { POOL_TIMING, resilient } from "./reconnect.js";
import { copyTemplate } from "./template.js";

export type Schema = typeof schema;
/** Either driver's database: services are written against this and never know which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database or a transaction: repository functions take either. */
export type Executor = Database | Transaction;
export type Driver = "pglite" | "postgres";

export type DatabaseHandle = {
  db: Database;
  driver: Driver;
  /** Where the data lives: the connection string without its password, or the PGlite folder. */
  location: string;
  /** The PostgreSQL connection string, for work that needs a connection of its own (migrations). */
  url?: string;
  /**
   * Calls `onMessage` with each NOTIFY on `channel` (sent by any process, delivered only once the
   * sender's transaction commits); resolves once listening, to a function that stops. On PostgreSQL a
   * connection of its own, which postgres.js listens again on after a reconnect; on PGlite, its own.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** A PostgreSQL connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite's data folder; absent means in memory. */
  dataDir?: string;
  /** A PGlite data folder dump (from `dumpDataDir`) to start from: a migrated template in tests. */
  loadDataDir?: Blob;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** PostgreSQL's application_name for every connection (pg_stat_activity shows it): "laurel" unless set. */
  applicationName?: string;
  /** Called with every statement Drizzle sends: tests count statements with it. */
  onQuery?: (query: string, params: unknown[]) => void;
};

type Runner = (text: string, params: unknown[]) => Promise<unknown[]>;
const runners = new WeakMap<Database, Runner>();

/**
 * Runs a statement of fixed text as a named prepared statement, parsed and planned once per connection
 * (where Drizzle sends every statement unnamed: parse, describe, plan, every time). For the hot paths
 * whose text never changes: rows travel as JSON parameters. Only outside a transaction; counted by
 * `onQuery` like Drizzle's statements.
 *
 * Each keeps one generic plan: on PostgreSQL on connections of their own
 * (`plan_cache_mode = force_generic_plan`), on PGlite through its wire protocol (`preparedOn`). Left to
 * choose, PostgreSQL planned the intake's write afresh at every call (a custom plan, knowing how many
 * users a batch has, is estimated cheaper), which cost it more than running the plan. Their SQL must
 * therefore have one good plan whatever the parameters and the statistics: each row is found by a key
 * no other index can stand in for.
 */
export async function queryPrepared<T>(db: Database, text: string, params: unknown[]): Promise<T[]> {
  const run = runners.get(db);
  if (!run) throw new TypeError("queryPrepared takes a database opened by openDatabase, not a transaction");
  return (await run(text, params)) as T[];
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    // Both pools recover from a server restart: their timing, and statements sent again when their
    // connection was found gone (reconnect.ts).
    const connect = (max: number, settings: Record<string, string> = {}) =>
      resilient(
        postgres(options.url!, {
          max,
          ...POOL_TIMING,
          onnotice: () => {},
          connection: {
            TimeZone: "UTC",
            application_name: options.applicationName ?? "laurel",
            ...settings,
          },
        }),
      );
    const client = connect(options.poolSize ?? 10);
    // Fail at start-up, with the reason, rather than on the first request.
    await client`select 1`;
    const db = drizzlePostgres(client, { schema, logger: loggerOf(options) }) as unknown as Database;
    const prepared = connect(Math.ceil((options.poolSize ?? 10) / 2), {
      plan_cache_mode: "force_generic_plan",
    });
    // Values in and out as Drizzle has the main client take them (JSON parameters as the text given):
    // copied into the objects the connections already hold.
    Object.assign(prepared.options.serializers, client.options.serializers);
    Object.assign(prepared.options.parsers, client.options.parsers);
    // Checked at start too: a pooler refusing the setting fails here, not at the first event.
    await prepared`select 1`;
    runners.set(db, async (text, params) => {
      options.onQuery?.(text, params);
      return (await prepared.unsafe(text, params as never[], { prepare: true })) as unknown[];
    });
    return {
      db,
      driver: "postgres",
      location: redactUrl(options.url),
      url: options.url,
      listen: async (channel, onMessage) => {
        const { unlisten } = await client.listen(channel, onMessage);
        return unlisten;
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), prepared.end({ timeout: 5 })]);
      },
    };
  }
  const loadDataDir = options.loadDataDir;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    // A new folder starts as a copy of the migrated template that `pnpm build` made, when there is one.
    if (!loadDataDir && readdirSync(options.dataDir).length === 0) copyTemplate(options.dataDir);
  }
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await client.exec("set time zone 'UTC'");
  const db = drizzlePglite(client, { schema, logger: loggerOf(options) }) as unknown as Database;
  const prepared = preparedOn(client);
  runners.set(db, async (text, params) => {
    options.onQuery?.(text, params);
    return prepared(text, params);
  });
  return {
    db,
    driver: "pglite",
    location: options.dataDir ?? "memory",
    listen: async (channel, onMessage) => client.listen(channel, onMessage),
    close: () => client.close(),
  };
}

type BackendMessage = Awaited<ReturnType<PGlite["execProtocol"]>>["messages"][number];
/**
 * Dates, times and timestamps (and numeric arrays) as the text PostgreSQL sends, as Drizzle's own raw
 * statements read them on both drivers, and `queryPrepared` on PostgreSQL: one statement's rows are
 * the same whichever path ran it.
 */
const AS_SENT = Object.fromEntries(
  [1082, 1083, 1114, 1184, 1186, 1182, 1115, 1185, 1187, 1231].map((type) => [
    type,
    (value: string) => value,
  ]),
);
/** Within the exclusive run (PGlite's `query` and `exec` would wait for it): no sync to disk yet. */
const OFF = { syncToFs: false };

/**
 * `queryPrepared` on PGlite, which parses and plans every `query` afresh: each text becomes a named
 * prepared statement on first use, and is then bound and executed through PGlite's wire protocol, with
 * its one generic plan (as on PostgreSQL's prepared connections). Parameters are text or null.
 */
function preparedOn(client: PGlite): Runner {
  const { serialize } = protocol;
  const names = new Map<string, string>();
  const run = async (messages: Uint8Array[]) => {
    const results: BackendMessage[] = [];
    try {
      for (const message of messages) results.push(...(await client.execProtocol(message, OFF)).messages);
    } finally {
      results.push(...(await client.execProtocol(serialize.sync())).messages);
    }
    return results;
  };
  // As PGlite's own `query` does: after any open transaction (PGlite is one session, and a statement
  // sent in the middle of another caller's transaction would be that transaction's), then alone.
  return async (text, params) => {
    await client._checkReady(); // closed: PGlite's own error, as `query` gives it
    return client._runExclusiveTransaction(() =>
      client.runExclusive(async () => {
        let name = names.get(text);
        if (!name) {
          name = `laurel_prepared_${names.size + 1}`;
          await run([serialize.parse({ name, text, types: [] })]);
          names.set(text, name);
        }
        // The plan is chosen at bind: a generic one, kept by the statement (PGlite is one session, so the
        // setting is held for this statement alone, not for Drizzle's).
        await client.execProtocol(serialize.query("set plan_cache_mode = force_generic_plan"), OFF);
        let bound: BackendMessage[];
        try {
          bound = await run([
            serialize.bind({ statement: name, values: params.map((p) => (p == null ? null : String(p))) }),
            serialize.describe({ type: "P" }),
            serialize.execute({}),
          ]);
        } finally {
          await client.execProtocol(serialize.query("reset plan_cache_mode"), OFF);
        }
        return parse.parseResults(bound, client.parsers, { parsers: AS_SENT })[0]?.rows ?? [];
      }),
    );
  };
}

function loggerOf(options: DatabaseOptions) {
  const onQuery = options.onQuery;
  return onQuery ? { logQuery: (query: string, params: unknown[]) => onQuery(query, params) } : false;
}

/** The PGlite client under a handle, for dumping a template in tests. */
export function pgliteClient(handle: DatabaseHandle): PGlite {
  if (handle.driver !== "pglite") throw new TypeError("not a PGlite database");
  return (handle.db as unknown as { $client: PGlite }).$client;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

/** The rows of a raw statement, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rowsOf<T>(result: Promise<unknown>): Promise<T[]> {
  const value = (await result) as T[] | { rows: T[] };
  return Array.isArray(value) ? value : value.rows;
}
