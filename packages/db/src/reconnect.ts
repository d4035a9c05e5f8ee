import net from "node:net";
import type postgres from "postgres";

/**
 * The PostgreSQL pools' timing (postgres.js options), for a server that restarts under the API:
 * - `connect_timeout`: a connection that does not open in 5 s fails (postgres.js waits 30 s), so a
 *   request waits on a server that is not back for seconds, not half a minute;
 * - `idle_timeout`: a connection unused for 60 s is closed (postgres.js keeps them for ever), so fewer
 *   idle connections are found dead after an outage;
 * - `max_lifetime`: every connection is replaced after 30 minutes (what postgres.js picks, made fixed);
 * - `backoff`: after a connection fails, the next try waits 0.1 s, doubling to 1 s at most (postgres.js
 *   grows it to 20 s, counted over the whole pool: a request waited 17 s after a 4-second restart);
 * - `socket`: the connections' sockets, opened as postgres.js opens them, read alongside it to learn
 *   which sessions the server ended itself (`watchedSocket`).
 */
export const POOL_TIMING = {
  connect_timeout: 5,
  idle_timeout: 60,
  max_lifetime: 30 * 60,
  backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 1),
  socket: (options: SocketOptions) => watchedSocket(options),
} as const;

/** How long one statement is tried again, from its first failure: no attempt starts after it. */
export const RETRY_BUDGET_MS = 5_000;

/**
 * The server ended the session (57P01 admin_shutdown: a restart or pg_terminate_backend; 57P02
 * crash_shutdown) or would not start one (57P03 cannot_connect_now): what the session was running was
 * rolled back.
 */
const SERVER_ENDED = new Set(["57P01", "57P02", "57P03"]);
/** No connection was opened: nothing was sent. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "CONNECT_TIMEOUT"]);
/**
 * The socket was closed or reset under the statement, with no word from the server on why: the
 * statement may have run, and committed, before its answer was lost. Not CONNECTION_ENDED or
 * CONNECTION_DESTROYED: those are this process closing its own pool.
 */
const SOCKET_LOST = new Set(["CONNECTION_CLOSED", "ECONNRESET", "EPIPE"]);
/** The server is not taking connections (yet): wait a little before the next try. */
const NOT_UP = new Set(["57P03", "ECONNREFUSED"]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Any error that says the connection was gone, not that the statement was wrong. */
export function connectionGone(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (SERVER_ENDED.has(code) || NEVER_CONNECTED.has(code) || SOCKET_LOST.has(code));
}

/**
 * What a statement may have done, as far as sending it twice goes:
 * - "read": a plain `select`, `show` or `values` naming nothing that writes (no insert, update, delete,
 *   merge, `into`, `for update`, sequence or advisory-lock function...): running it twice changes nothing;
 * - "begin": a transaction's BEGIN, before any of its work ran;
 * - "write": anything else, including every statement the check cannot read (comments first, `with`).
 */
export type StatementKind = "read" | "begin" | "write";

const READ = /^\s*(select|show|values)\b/i;
const WRITES =
  /\b(insert|update|delete|merge|upsert|into|copy|call|do|lock|truncate|create|alter|drop|grant|revoke|vacuum|analyze|refresh|notify|listen|set|reset|nextval|setval|pg_advisory\w*|pg_try_advisory\w*|set_config|pg_terminate_backend|pg_cancel_backend|pg_notify|lo_\w+|dblink\w*)\b|\bfor\s+(no\s+key\s+)?(update|share)\b/i;

export function statementKind(text: unknown): StatementKind {
  return typeof text === "string" && READ.test(text) && !WRITES.test(text) ? "read" : "write";
}

/**
 * Whether a statement that failed with `error` is sent again:
 * - the server ended the session or would not start one (57P01, 57P02, 57P03), or no connection could be
 *   opened (ECONNREFUSED, CONNECT_TIMEOUT): always, whatever the statement;
 * - the socket was lost (CONNECTION_CLOSED, ECONNRESET, EPIPE): for reads and a BEGIN; for a write only
 *   when the server had ended that session itself before any statement on it completed (`sessionEnded`,
 *   from `watchedSocket`: postgres.js reports such a session's end as the socket's close, not 57P01);
 * - anything else: never.
 */
export function shouldRetry(error: unknown, kind: StatementKind, sessionEnded = false): boolean {
  const code = codeOf(error);
  if (code === undefined) return false;
  if (SERVER_ENDED.has(code) || NEVER_CONNECTED.has(code)) return true;
  if (SOCKET_LOST.has(code)) return kind !== "write" || sessionEnded;
  return false;
}

export type RetryOptions = {
  /** The time budget from the first failure, in ms: `RETRY_BUDGET_MS` unless set. */
  budgetMs?: number;
  /** The clock, in ms: `performance.now` unless set (tests pass their own). */
  now?: () => number;
  /** Waits `ms`: a timer unless set. */
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Runs `run` until it succeeds, or its failure is not to be retried (`retry` says no), or the budget
 * from the first failure is spent: no try starts after it, and no wait runs past it. Straight away while
 * connections are found dead; 0.1 s, doubling to 0.4 s, while the server is not taking connections
 * (57P03, ECONNREFUSED). A connect that timed out (CONNECT_TIMEOUT) has already waited `connect_timeout`.
 */
export async function withRetry<T>(
  run: () => Promise<T>,
  retry: (error: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  const budget = options.budgetMs ?? RETRY_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let firstFailure: number | undefined;
  for (let waits = 0; ;) {
    try {
      return await run();
    } catch (error) {
      if (!retry(error)) throw error;
      firstFailure ??= now();
      if (now() - firstFailure >= budget) throw error;
      if (NOT_UP.has(codeOf(error)!)) {
        const left = budget - (now() - firstFailure);
        await sleep(Math.min(100 * 2 ** waits++, 400, left));
        if (now() - firstFailure >= budget) throw error;
      }
    }
  }
}

type Unsafe = postgres.Sql["unsafe"];

/**
 * A postgres.js client whose statements outside a transaction (`unsafe`: Drizzle's and the intake's
 * prepared statements, the SQL text first), and whose transactions' BEGIN, are sent again, on another
 * connection, when their connection was gone, for at most `RETRY_BUDGET_MS` from the first failure.
 *
 * What is sent again, and why that is safe (`shouldRetry`):
 * - Every statement, when the server said it ended the session (57P01, 57P02: it rolled back what the
 *   session was running, and a statement it had not read never ran) or would not start one (57P03), or
 *   no connection opened (ECONNREFUSED, CONNECT_TIMEOUT: nothing was sent).
 * - When the socket was closed or reset (CONNECTION_CLOSED, ECONNRESET, EPIPE), only what cannot have
 *   written: a plain read (`statementKind`), or a transaction's BEGIN while none of its work (nor the
 *   caller's code in it) ran. A statement on its own is its own transaction: it may have committed just
 *   before the socket went, and its answer with it, so a write is not sent again, and the caller gets the
 *   error (createApiKey, createUser, the throttle's counters, the intake's write).
 * - Except one case of a lost socket, told apart by reading the connection's messages (`watchedSocket`):
 *   the server sent 57P01 or 57P02 (FATAL) with no statement on that session completed since its last
 *   ReadyForQuery. postgres.js reports that as the socket's close, but nothing the session was sent had
 *   committed: it was rolled back, or never read (an idle session ended, then handed a statement before
 *   the close was seen, as after a restart or pg_terminate_backend). Those writes are sent again.
 * A statement inside a transaction is never sent again: the transaction fails as a whole.
 */
export function resilient(client: postgres.Sql, options: RetryOptions = {}): postgres.Sql {
  const unsafe: Unsafe = (...args) => {
    const kind = statementKind(args[0]);
    return retryingQuery(() => client.unsafe(...args), kind, options) as never;
  };
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
      (error) => !started && shouldRetry(error, "begin"),
      options,
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
function retryingQuery(
  make: () => postgres.PendingQuery<postgres.Row[]>,
  kind: StatementKind,
  options: RetryOptions,
) {
  let values = false;
  let running: Promise<unknown> | undefined;
  let last: postgres.PendingQuery<postgres.Row[]> | undefined;
  const run = () =>
    (running ??= withRetry(
      async () => {
        const query = (last = make());
        return values ? await query.values() : await query;
      },
      (error) => shouldRetry(error, kind, kind === "write" && sessionEndedUnder(last)),
      options,
    ));
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

/* Sessions the server ended ---------------------------------------------------------------------- */

/** What postgres.js passes its `socket` option: its parsed options. */
export type SocketOptions = {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
  sslnegotiation?: string | null;
};

/** Sessions (backend pid and secret, from BackendKeyData) the server ended with nothing completed. */
const endedSessions = new Set<string>();
/** How long a session is remembered after its socket closed: its statements' errors come straight after. */
const REMEMBER_MS = 60_000;

const sessionKey = (pid: number, secret: number) => `${pid}:${secret}`;

/**
 * Whether the server ended, with nothing completed, the session `query` was sent on: postgres.js keeps
 * the session's BackendKeyData in the query's `state` once it is sent. Unknown means no.
 */
export function sessionEndedUnder(query: unknown): boolean {
  const state = (query as { state?: { pid?: unknown; secret?: unknown } | null } | undefined)?.state;
  if (typeof state?.pid !== "number" || typeof state.secret !== "number") return false;
  return endedSessions.has(sessionKey(state.pid, state.secret));
}

const hostTurn = new WeakMap<object, number>();

/**
 * A connection's socket, opened as postgres.js opens its own (the hosts in turn, or the Unix socket),
 * and read alongside postgres.js (`SessionWatch`). Over TLS nothing can be read (postgres.js drops the
 * listeners of the plain socket): its writes are then never sent again after a lost socket.
 */
export function watchedSocket(options: SocketOptions): net.Socket {
  let socket: net.Socket;
  let host: string | undefined;
  let port: number | undefined;
  if (options.path) {
    socket = net.connect(options.path);
  } else {
    const turn = hostTurn.get(options) ?? 0;
    hostTurn.set(options, turn + 1);
    host = options.host[turn % options.host.length]!;
    port = options.port[turn % options.port.length]!;
    socket = net.connect(port, host);
  }
  // What postgres.js sets on the sockets it opens (TLS's servername, its errors' address).
  Object.assign(socket, { host, port });
  const ssl = options.ssl && options.ssl !== "disable";
  const watch = new SessionWatch(ssl && options.sslnegotiation !== "direct" ? 1 : 0);
  socket.on("data", (chunk: Buffer) => watch.read(chunk));
  socket.once("close", () => watch.closed());
  return socket;
}

const TYPE_ERROR = 0x45; // E
const TYPE_KEY_DATA = 0x4b; // K
const TYPE_COMMAND_COMPLETE = 0x43; // C
const TYPE_READY = 0x5a; // Z

/**
 * Reads the messages a server sends on one connection (type byte, then length), keeping only what tells
 * whether the server ended the session with nothing completed: BackendKeyData (the session), a
 * CommandComplete since the last ReadyForQuery (a statement finished: it may have committed), and a
 * FATAL ErrorResponse 57P01 or 57P02.
 */
export class SessionWatch {
  private header = Buffer.alloc(0);
  private type = 0;
  private remaining = -1;
  private body: Buffer[] | null = null;
  private completed = false;
  private session: string | undefined;
  ended = false;

  /** `skip`: bytes to pass over first (the one-byte answer to an SSLRequest). */
  constructor(private skip = 0) {}

  read(chunk: Buffer): void {
    let at = 0;
    if (this.skip > 0) {
      at = Math.min(this.skip, chunk.length);
      this.skip -= at;
    }
    while (at < chunk.length) {
      if (this.remaining < 0) {
        const need = 5 - this.header.length;
        this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (this.header.length < 5) return;
        this.type = this.header[0]!;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.header = Buffer.alloc(0);
        this.body = this.type === TYPE_ERROR || this.type === TYPE_KEY_DATA ? [] : null;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      this.body?.push(chunk.subarray(at, at + take));
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        this.message(this.type, this.body ? Buffer.concat(this.body) : null);
        this.remaining = -1;
        this.body = null;
      }
    }
  }

  private message(type: number, body: Buffer | null): void {
    if (type === TYPE_READY) this.completed = false;
    else if (type === TYPE_COMMAND_COMPLETE) this.completed = true;
    else if (type === TYPE_KEY_DATA && body && body.length >= 8) {
      this.session = sessionKey(body.readUInt32BE(0), body.readUInt32BE(4));
    } else if (type === TYPE_ERROR && body) {
      const fields = errorFields(body);
      const fatal = fields.get("V") ?? fields.get("S");
      const code = fields.get("C");
      if (
        (fatal === "FATAL" || fatal === "PANIC") &&
        (code === "57P01" || code === "57P02") &&
        !this.completed
      ) {
        this.ended = true;
        if (this.session) endedSessions.add(this.session);
      }
    }
  }

  closed(): void {
    const session = this.session;
    if (this.ended && session) setTimeout(() => endedSessions.delete(session), REMEMBER_MS).unref();
  }
}

function errorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    fields.set(String.fromCharCode(body[at]!), body.toString("utf8", at + 1, end));
    at = end + 1;
  }
  return fields;
}
