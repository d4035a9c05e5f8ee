import type { WriteRequest, Written } from "./store.js";

type Waiting = { request: WriteRequest; resolve(written: Written): void; reject(error: unknown): void };

/**
 * The intake's writes, batched: plans that are ready while earlier writes are on their way go out
 * together, one statement for many users (at most one plan per user in a statement; a second goes in
 * another, though the intake's turns already keep a user's events in a process one after another). Under light load every plan goes alone at once; under heavy load batches grow, and the work a
 * statement costs whatever its size (parsing, planning locks, starting the executor, the commit and its
 * flush, the round trip) is shared. If a batch fails as a whole because one plan may be to blame, each
 * of its plans is written alone, so one plan never fails another.
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
      if (batch.length === 1 || !ONE_PLAN_MAY_BE_TO_BLAME.has((error as { code?: string }).code ?? ""))
        return batch.forEach((w) => w.reject(error));
      // One after another, within this batch's place among the statements on their way.
      for (const w of batch) {
        await this.writeAll([w.request]).then(([written]) => w.resolve(written!), w.reject);
      }
    }
  }
}

/**
 * The errors after which a batch's plans are written alone: a plan's award did not happen (laurel_assert),
 * a deadlock (two batches waiting on each other's new events under one idempotency key), a serialization
 * failure. After any other error (a lost connection, say) nobody knows what was written: every plan of
 * the batch fails with it, as a single statement's would.
 */
const ONE_PLAN_MAY_BE_TO_BLAME = new Set(["LA001", "40P01", "40001"]);
