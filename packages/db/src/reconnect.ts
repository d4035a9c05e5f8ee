import type postgres from "postgres";

/**
 * The PostgreSQL pools' timing (postgres.js options), for a server that restarts under the API:
 * - `connect_timeout`: a connection that does not open in 5 s fails (postgres.js waits 30 s), so a
 *   request waits on a server that is not back for seconds, not half a minute;
 * - `idle_timeout`: a connection unused for 60 s is closed (postgres.js keeps them for ever), so fewer
 *   idle connections are found dead after an outage;
 * - `max_lifetime`: every connection is replaced after 30 minutes (what postgres.js picks, made fixed);
 * - `backoff`: after a connection fails, the next try waits 0.1 s, doubling to 1 s at most (postgres.js
 *   grows it to 20 s, counted over the whole pool: a request waited 17 s after a 4-second restart).
 */
export const POOL_TIMING = {
  connect_timeout: 5,
  idle_timeout: 60,
  max_lifetime: 30 * 60,
  backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 1),
} as const;

/**
 * Errors that say the connection was gone, not that the statement was wrong: the server ended the
 * session (57P01 admin_shutdown: a restart or pg_terminate_backend; 57P02 crash_shutdown) or is not yet
 * taking connections (57P03), the socket was closed or reset under the statement, or no connection could
 * be opened. Not CONNECTION_ENDED or CONNECTION_DESTROYED: those are this process closing its own pool.
 */
const GONE = new Set(["57P01", "57P02", "57P03", "CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]);
/** The server is not there (yet): wait a little before the next try. */
const NOT_UP = new Set(["57P03", "ECONNREFUSED", "CONNECT_TIMEOUT"]);

export function connectionGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (GONE.has(code) || NOT_UP.has(code));
}

/** Tries of one statement: enough to pass every dead connection of a pool, then a server still starting. */
const TRIES = 12;

/**
 * Runs `run` until it succeeds, fails for another reason than a gone connection, or `mayRetry` says no
 * (its work began). Straight away while connections are found dead; 0.1 s, doubling to 0.4 s, while the
 * server is not taking connections (at most about 3.5 s in all).
 */
async function withRetry<T>(run: () => Promise<T>, mayRetry: () => boolean = () => true): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= TRIES || !connectionGone(error) || !mayRetry()) throw error;
      if (NOT_UP.has((error as { code: string }).code)) {
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** (attempt - 1), 400)));
      }
    }
  }
}

type Unsafe = postgres.Sql["unsafe"];

/**
 * A postgres.js client whose statements outside a transaction, and whose transactions' BEGIN, are sent
 * again, on another connection, when they failed because their connection was gone (`connectionGone`).
 *
 * That is safe because nothing they did can have lasted: a statement on its own is its own transaction,
 * and the server ends a session only by rolling back what it was running (57P01, 57P02); a statement
 * sent on a connection the server had already left never ran. A transaction is tried again only while
 * its BEGIN failed, before any of its work (or the caller's code in it) ran; a statement inside a
 * transaction is never sent again, the transaction fails as a whole. The one case left: a connection
 * cut with no word from the server (a network failure, a backend killed outright) after a statement on
 * its own had committed and before its answer arrived runs it twice. Laurel's statements outside
 * transactions are reads, counters (sign-in throttle, a key's last use) and the intake's write, whose
 * lock-version guard refuses a second run of the same plan; the intake then plans the event again, so
 * only an event sent without an idempotency key could be counted twice, in that case alone.
 */
export function resilient(client: postgres.Sql): postgres.Sql {
  const unsafe: Unsafe = (...args) => retryingQuery(() => client.unsafe(...args)) as never;
  const begin = (...args: unknown[]) => {
    const fn = args.pop() as (sql: postgres.TransactionSql) => unknown;
    let started = false;
    return withRetry(
      () =>
        (client.begin as (...a: unknown[]) => Promise<unknown>)(...args, (sql: postgres.TransactionSql) => {
          started = true;
          return fn(sql);
        }),
      // Once the caller's work began, the failure is the transaction's: never sent again.
      () => !started,
    );
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return begin;
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * `unsafe`'s lazy query, tried again as above: Drizzle calls `.values()` on it, then awaits it. Each try
 * is a new query (postgres.js runs a query object once).
 */
function retryingQuery(make: () => postgres.PendingQuery<postgres.Row[]>) {
  let values = false;
  let running: Promise<unknown> | undefined;
  const run = () =>
    (running ??= withRetry(async () => {
      const query = make();
      return values ? await query.values() : await query;
    }));
  const pending = {
    values() {
      values = true;
      return pending;
    },
    then<A, B>(onFulfilled?: (value: unknown) => A, onRejected?: (reason: unknown) => B) {
      return run().then(onFulfilled, onRejected);
    },
    catch<B>(onRejected?: (reason: unknown) => B) {
      return run().catch(onRejected);
    },
    finally(onFinally?: () => void) {
      return run().finally(onFinally);
    },
  };
  return pending;
}
