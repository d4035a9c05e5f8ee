import type { Database } from "@laurel/db";
import { Mutex } from "async-mutex";
import { LRUCache } from "lru-cache";
import { WriteBatcher } from "./batch.js";
import { CatalogCache } from "./catalog.js";
import type { Snapshot } from "@laurel/engine";
import type { Award, EventRow, Tenant } from "./model.js";
import { type WriteRequest, type Written, writePlans } from "./store.js";

/** How an event was taken: planned from a read, from this process's copy with no read, under the lock, or a replay. */
export type IntakePath = "planned" | "copy" | "locked" | "replay";

/**
 * Users' state as this process last wrote it (their lock version, and the cells, members and rows it
 * read or wrote), so their next event here is planned with no read. Any other writer moves the user's
 * lock version on, and the write that relied on a stale copy then writes nothing and reads afresh.
 */
export type KnownUser = Omit<Snapshot, "history"> & {
  lockVersion: string;
  catalogVersion: number;
  tenant: Tenant;
  /** Keys read and found absent: with the snapshot's own keys, what the copy can answer for. */
  absent: { cells: Set<string>; members: Set<string>; standing: Set<string> };
};

/**
 * The scoring layer's memory in one process, built by `createServer` (and by the job and the NATS worker
 * for theirs) and held beside the app's other services: tests make a fresh one, and read what it did.
 */
export class Scoring {
  /** Tenants' catalogs by version. */
  readonly catalogs = new CatalogCache();
  /** Organizations' zones and modules as last read, by id: what an event's plan is worked out in. */
  readonly tenants = new LRUCache<string, Tenant>({ max: 1000 });
  /** About 7 KB a user in a tenant with a hundred achievements: some 15 MB at most. */
  readonly users = new LRUCache<string, KnownUser>({ max: 2_000 });
  /**
   * The first results of recently used idempotency keys: a client retrying (the usual replay, seconds
   * after the first try) is answered without a database read. A key's first result is immutable once
   * committed, so a copy cannot go stale; entries expire after ten minutes.
   */
  readonly recent = new LRUCache<string, { event: EventRow; awards: Award[] }>({
    max: 10_000,
    ttl: 10 * 60 * 1000,
  });
  /** The intake's writes, batched across users (batch.ts). */
  readonly batcher: WriteBatcher;
  /** How many events took each path since this object was made. */
  readonly paths: Record<IntakePath, number> = { planned: 0, copy: 0, locked: 0, replay: 0 };
  /** Called after each batch the intake wrote (and committed): the outbox relay's kick. */
  afterWrite: (() => void) | undefined;
  private readonly turns = new Map<string, Mutex>();

  constructor(
    readonly db: Database,
    /** `write`: how a batch of plans is written (`writePlans`; a test may wrap it to act between read and write). */
    options: { write?: (requests: readonly WriteRequest[]) => Promise<Written[]> } = {},
  ) {
    const write = options.write ?? ((requests) => writePlans(db, requests));
    this.batcher = new WriteBatcher(async (requests) => {
      const written = await write(requests);
      this.afterWrite?.();
      return written;
    });
  }

  /**
   * A user's events in this process, one after another (first come, first served): each is planned from
   * what the one before it wrote, with no read, instead of racing it to the database and losing to its
   * guard. Users are independent, and other processes are kept in step by the guard and the lock.
   */
  async inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    let turn = this.turns.get(key);
    if (!turn) this.turns.set(key, (turn = new Mutex()));
    try {
      return await turn.runExclusive(work);
    } finally {
      // Nobody holds or waits for it: forget it.
      if (!turn.isLocked() && this.turns.get(key) === turn) this.turns.delete(key);
    }
  }
}
