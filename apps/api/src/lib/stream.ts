/**
 * `source` through `step`: each value mapped (awaited), or left out where `step` gives `undefined`.
 *
 * Stopping it (`return`) stops the source at once, even while it waits for its next value. An async
 * generator could not: its `return` waits for the pending `next`, and a live subscription waiting for
 * an event would keep its listener until one came. A failure (of the source or of `step`) stops the
 * source too before it reaches the consumer, which does not call `return` on an iterator that threw.
 */
export function mapStream<T, U>(
  source: AsyncIterator<T>,
  step: (value: T) => U | undefined | Promise<U | undefined>,
): AsyncIterableIterator<U> {
  const stop = async () => {
    await source.return?.();
    return { value: undefined, done: true } as const;
  };
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      try {
        for (;;) {
          const item = await source.next();
          if (item.done) return { value: undefined, done: true };
          const mapped = await step(item.value);
          if (mapped !== undefined) return { value: mapped, done: false };
        }
      } catch (error) {
        await stop();
        throw error;
      }
    },
    return: stop,
    async throw(error?: unknown) {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
