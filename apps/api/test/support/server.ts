import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type DatabaseHandle, migrateDatabase, openDatabase, schema } from "@laurel/db";
import { createScratchDatabase, dropScratchDatabase } from "@laurel/db/scratch";
import { and, eq, inArray } from "drizzle-orm";
import { inject } from "vitest";
import { createServer, type LaurelServer } from "../../src/app.js";
import { FixedClock } from "../../src/clock.js";
import { type Env, loadEnv } from "../../src/env.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { bootstrap } from "../../src/seed/bootstrap.js";

/** Made by `openssl rand -base64 48`: the production-mode suites need one production takes. */
export const TEST_SECRET = "hQc29lEAg7FD5aIEROXHwdsU3yom+9ihli+eynXK5OQErD7yd7NVeFCqfMEAP4qO";

/**
 * Opens the run's test database: the shared PostgreSQL one, or a fresh PGlite from the template. `own`:
 * on PostgreSQL too, a database of the file's own (migrated, bootstrapped, dropped on close), for a test
 * that must not see other files' work, such as their catalog changes moving the global catalog version.
 */
export async function openTestDatabase(
  options: { onQuery?: (query: string, params: unknown[]) => void; own?: boolean } = {},
): Promise<DatabaseHandle> {
  const { own, ...rest } = options;
  const url = inject("databaseUrl");
  if (url && own) {
    const scratch = await createScratchDatabase(url, "laurel_own");
    const handle = await openDatabase({ url: scratch, poolSize: 20, ...rest });
    await migrateDatabase(handle);
    await bootstrap(handle.db, loadEnv({ LAUREL_TOKEN_SECRET: "x".repeat(32), NODE_ENV: "test" }), silent);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        await dropScratchDatabase(url, scratch);
      },
    };
  }
  if (url) return openDatabase({ url, poolSize: 20, ...rest });
  const template = inject("pgliteTemplate");
  if (!template) throw new Error("The integration global setup did not run");
  return openDatabase({ loadDataDir: new Blob([readFileSync(template)]), ...rest });
}

const silent = createLogger("warn", false);

export type GraphQLResponse<T = any> = {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
};

export type TestApi = {
  url: string;
  server: LaurelServer;
  database: DatabaseHandle;
  clock: FixedClock;
  env: Env;
  logs: string[];
  /**
   * Posts an operation to /graphql over real HTTP; `auth` is a bearer token or `{ apiKey }`; `headers` more
   * headers (X-Forwarded-For, to sign in from another client address behind a trusted proxy).
   */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: string | { apiKey: string },
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /**
   * Waits until the background runs of an organization are done. On a shared database another test
   * process may have claimed them (as another API process would), so draining our own queue is not enough.
   */
  settle(organizationId: string): Promise<void>;
  /** Like gql, but fails the test on any error and returns the data. */
  ok<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: string | { apiKey: string },
    headers?: Record<string, string>,
  ): Promise<T>;
  close(): Promise<void>;
};

export type TestServerOptions = {
  env?: Record<string, string>;
  now?: string;
  /** Reuse a database (to run a second server, e.g. in production mode, on the same data). */
  database?: DatabaseHandle;
  /**
   * On PostgreSQL, a database of the server's own (openTestDatabase's `own`): for a server that runs the
   * outbox relay, which would otherwise claim, and hold for a moment, the outbox rows of other test files.
   */
  own?: boolean;
};

/** Starts the API in this process on a free port, over a real HTTP socket. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestApi> {
  const database = options.database ?? (await openTestDatabase({ own: options.own }));
  const env = loadEnv({
    NODE_ENV: "test",
    LAUREL_TOKEN_SECRET: TEST_SECRET,
    LAUREL_LOG_LEVEL: "debug",
    // Each test server's requests come from a client address of its own (below), as if through a proxy
    // on loopback: the sign-in throttle's per-address counters of test files sharing one database stay apart.
    LAUREL_TRUST_PROXY: "loopback",
    ...options.env,
  });
  const clientAddress = `2001:db8:${randomBytes(2).toString("hex")}::${randomBytes(2).toString("hex")}`;
  const clock = new FixedClock(new Date(options.now ?? "2026-06-15T12:00:00Z"));
  const logs: string[] = [];
  const record = (message: string, details?: Record<string, unknown>) =>
    logs.push(`${message}${details ? ` ${JSON.stringify(details)}` : ""}`);
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  const server = await createServer({ env, database, clock, logger });
  const url = await server.listen(0, "127.0.0.1");

  const gql: TestApi["gql"] = async (query, variables, auth, extra) => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-forwarded-for": clientAddress,
      ...extra,
    };
    if (typeof auth === "string") headers.authorization = `Bearer ${auth}`;
    else if (auth) headers["x-api-key"] = auth.apiKey;
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  return {
    url,
    server,
    database,
    clock,
    env,
    logs,
    gql,
    async settle(organizationId) {
      const { backfillRuns } = schema;
      for (let waited = 0; waited < 30_000; waited += 50) {
        await server.services.jobs.drain();
        const open = await database.db
          .select({ id: backfillRuns.id })
          .from(backfillRuns)
          .where(
            and(
              eq(backfillRuns.organizationId, organizationId),
              inArray(backfillRuns.status, ["pending", "running"]),
            ),
          );
        if (open.length === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`Background runs of ${organizationId} did not finish`);
    },
    async ok(query, variables, auth, headers) {
      const result = await gql(query, variables, auth, headers);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data;
    },
    async close() {
      await server.close();
      if (!options.database) await database.close();
    },
  };
}
