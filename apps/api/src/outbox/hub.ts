import type { OutboxMessage } from "@laurel/engine";

/** An outbox event as this process's consumers see it: the message, and whom it is about. */
export type Relayed = OutboxMessage & { seq: number; userId: string | null };

type Listener = (event: Relayed) => void;

/**
 * This process's fan-out of relayed outbox events to its live consumers (the GraphQL subscriptions).
 * Fed by the relay's NOTIFY, so every process hears what any process relayed, and only once it committed.
 * A subscriber's queue is bounded: one that does not read is dropped, not left to grow.
 */
export class OutboxHub {
  private readonly listeners = new Set<Listener>();

  get size(): number {
    return this.listeners.size;
  }

  publish(events: readonly Relayed[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  /**
   * The events that pass `accept`, as an async iterator (what a GraphQL subscription returns), until the
   * consumer stops (`return`) or falls more than `limit` events behind (then it ends with an error).
   */
  subscribe(accept: (event: Relayed) => boolean, limit = 1_000): AsyncIterableIterator<Relayed> {
    const queue: Relayed[] = [];
    let wake: (() => void) | undefined;
    let ended: Error | "done" | undefined;
    const listener: Listener = (event) => {
      if (ended || !accept(event)) return;
      if (queue.length >= limit) {
        ended = new Error(`A subscriber fell more than ${limit} events behind and was dropped`);
        this.listeners.delete(listener);
      } else queue.push(event);
      wake?.();
    };
    this.listeners.add(listener);
    const stop = () => {
      ended ??= "done";
      this.listeners.delete(listener);
      wake?.();
    };
    const iterator: AsyncIterableIterator<Relayed> = {
      next: async () => {
        for (;;) {
          const event = queue.shift();
          if (event) return { value: event, done: false };
          if (ended instanceof Error) throw ended;
          if (ended) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
      return: async () => {
        stop();
        return { value: undefined, done: true };
      },
      throw: async (error?: unknown) => {
        stop();
        throw error;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
