/**
 * When a failed webhook delivery is tried again: after the first attempt fails, 5 s, then 5 min, 30 min,
 * 2 h, 5 h, 10 h and 10 h (about 27.6 hours in all: more than a day, so a receiver down overnight still
 * gets everything), each delay lengthened by up to a fifth at random so that many deliveries failed
 * together do not all come back at once. Eight attempts in all; after the eighth the delivery fails.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** How much of its delay is added at random, at most: jitter only lengthens, so the total stays above a day. */
export const JITTER = 0.2;

/**
 * The wait before the next attempt, after `attempts` attempts failed (1 for the first), or undefined
 * when that was the last. `random` is in [0, 1) (Math.random; tests fix it).
 */
export function retryDelay(attempts: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_MS[attempts - 1];
  return base === undefined ? undefined : Math.round(base * (1 + JITTER * random()));
}
