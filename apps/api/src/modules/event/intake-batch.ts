import type { Database } from "@laurel/db";
import { type WriteRequest, type Written, writePlans } from "./intake-sql.js";

type Waiting = { request: WriteRequest; resolve(written: Written): void; reject(error: unknown): void };

/**
 * The intake's writes, batched: plans that are ready while earlier writes are on their way go out
 * together, one statement for many users (at most one plan per user in a batch; a second waits for the
 * next, though the intake's turns already keep a user's events one after another). Under light load every plan goes alone at once; under heavy load batches grow, and the work a
 * statement costs whatever its size (parsing, planning locks, starting the executor, the commit and its
 * flush, the round trip) is shared. If a batch fails as a whole (a plan's award did not happen, or any
 * error), each of its plans is written alone, so one plan never fails another.
 */
export class WriteBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Writes plans of distinct users in one statement: `writePlans` on a database. */
    private readonly writeAll: (requests: readonly WriteRequest[]) => Promise<Written[]>,
    private readonly options = { inFlight: 2, size: 64 },
  ) {}

  write(request: WriteRequest): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current turn of the event loop: the plans its other requests make join this batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.queue.length > 0 && this.inFlight < this.options.inFlight) {
      const users = new Set<string>();
      const batch: Waiting[] = [];
      const rest: Waiting[] = [];
      for (const waiting of this.queue) {
        const user = waiting.request.userId;
        if (batch.length < this.options.size && !users.has(user)) {
          users.add(user);
          batch.push(waiting);
        } else rest.push(waiting);
      }
      this.queue = rest;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async run(batch: Waiting[]) {
    try {
      const written = await this.writeAll(batch.map((w) => w.request));
      batch.forEach((w, i) => w.resolve(written[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      await Promise.all(
        batch.map((w) => this.writeAll([w.request]).then(([written]) => w.resolve(written!), w.reject)),
      );
    }
  }
}

const batchers = new WeakMap<Database, WriteBatcher>();

/** The plan written, with whatever other plans are ready on the same database. */
export function writeBatched(db: Database, request: WriteRequest): Promise<Written> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new WriteBatcher((requests) => writePlans(db, requests))));
  return batcher.write(request);
}
