/** One entry waiting to be written, and who waits for it. */
type Waiting<T> = { entry: T; resolve: (value: boolean) => void; reject: (error: unknown) => void };

/**
 * Group commit for the delivery log: entries added while a write is under way go together in the next
 * one, so a lone attempt is written at once and a burst of them in one statement per write. `write`
 * takes a batch and returns which of its entries' keys now need their poster to stop (their endpoint was
 * disabled); each `add` resolves to that, once its batch is written.
 */
export class AttemptLog<T> {
  private queue: Waiting<T>[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly write: (batch: readonly T[]) => Promise<ReadonlySet<string>>,
    private readonly keyOf: (entry: T) => string,
  ) {}

  /** Resolves, once written, to true when the entry's endpoint was disabled. */
  add(entry: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  /** Waits until everything added so far is written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async flush(): Promise<void> {
    // Cleared in the same turn the queue is seen empty, so an `add` after that starts a new flush.
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        const stopped = await this.write(batch.map((w) => w.entry));
        for (const w of batch) w.resolve(stopped.has(this.keyOf(w.entry)));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.writing = undefined;
  }
}
