import { type Database, rowsOf, type Transaction } from "@laurel/db";
import { sql } from "drizzle-orm";

/**
 * Barriers for the PostgreSQL race tests: a transaction of the test's own holds row locks, another
 * connection's work stops at them, the test sees it stopped (`waitingOn`), lets the other side run, then
 * releases. PGlite is one session, so these need PostgreSQL.
 */
export type Hold = {
  /** The backend holding the locks. */
  pid: number;
  /** Ends the holding transaction (rolled back, so it leaves nothing behind). */
  release(): Promise<void>;
};

class Released extends Error {}

/** Opens a transaction, runs `lock` in it, and keeps it open until `release()`. */
export async function hold(db: Database, lock: (tx: Transaction) => Promise<unknown>): Promise<Hold> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: (pid: number) => void;
  const held = new Promise<number>((resolve) => (holding = resolve));
  const done = db
    .transaction(async (tx) => {
      const [row] = await rowsOf<{ pid: number }>(tx.execute(sql`select pg_backend_pid() as pid`));
      await lock(tx);
      holding(row!.pid);
      await released;
      throw new Released();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Released)) throw error;
    });
  const pid = await Promise.race([held, done.then(() => Promise.reject(new Error("the hold ended early")))]);
  return {
    pid,
    release: async () => {
      release();
      await done;
    },
  };
}

/** The backends waiting, right now, for a lock that backend `pid` holds. */
export async function waitingOn(db: Database, pid: number): Promise<number[]> {
  const rows = await rowsOf<{ pid: number }>(
    db.execute(sql`select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`),
  );
  return rows.map((r) => r.pid);
}

/**
 * Polls `check` until it returns a value (not undefined or false), and returns it; fails after
 * `timeoutMs` with `what`. For states of other connections a test must see before going on, never for
 * a delay.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
