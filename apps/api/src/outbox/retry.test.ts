import { describe, expect, it } from "vitest";
import { JITTER, MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelay } from "./retry.js";

const HOUR = 3_600_000;
const total = (random: () => number) => {
  let sum = 0;
  for (let attempts = 1; ; attempts++) {
    const delay = retryDelay(attempts, random);
    if (delay === undefined) return { sum, attempts };
    sum += delay;
  }
};

describe("the retry schedule", () => {
  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up after the eighth attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, () => 0))).toEqual([
      5_000,
      300_000,
      1_800_000,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
    expect(retryDelay(8, () => 0)).toBeUndefined();
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it("lasts more than 24 hours whatever the jitter, and no more than a fifth longer", () => {
    const least = total(() => 0);
    const most = total(() => 0.999999);
    expect(least.attempts).toBe(MAX_ATTEMPTS);
    expect(least.sum).toBeGreaterThan(24 * HOUR);
    const base = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(least.sum).toBe(base);
    expect(most.sum).toBeLessThanOrEqual(Math.ceil(base * (1 + JITTER)));
    expect(most.sum).toBeGreaterThan(base);
  });

  it("spreads deliveries that failed together", () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = new Set(Array.from({ length: 20 }, () => retryDelay(2, random)));
    expect(delays.size).toBeGreaterThan(15);
    for (const d of delays) expect(d! >= 300_000 && d! <= 360_000).toBe(true);
  });
});
