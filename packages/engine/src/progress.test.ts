import { describe, expect, it } from "vitest";
import { type Comparator, holds, progressOf, type RuleValue, ruleProgress } from "./progress.js";

const rule = (comparator: Comparator, target: number, weight: number, value: number): RuleValue => ({
  comparator,
  target,
  weight,
  value,
});

/** Seed 001's "Trading Master": 10 wins (50), 500 profit (30), 100 closed trades (20). */
const tradingMaster = (wins: number, profit: number, trades: number) => [
  rule("gte", 10, 50, wins),
  rule("gte", 500, 30, profit),
  rule("gte", 100, 20, trades),
];

describe("holds", () => {
  it.each([
    ["gte", 9, 10, false],
    ["gte", 10, 10, true],
    ["gte", 11, 10, true],
    ["gt", 10, 10, false],
    ["gt", 10.5, 10, true],
    ["gt", 11, 10, true],
    ["lte", 4, 5, true],
    ["lte", 5, 5, true],
    ["lte", 6, 5, false],
    ["lt", 4, 5, true],
    ["lt", 5, 5, false],
    ["lt", 6, 5, false],
    ["eq", 5, 5, true],
    ["eq", 4, 5, false],
    ["eq", 6, 5, false],
    ["eq", 0.30000000000000004, 0.3, false],
    ["bool", 1, 1, true],
    ["bool", 7, 1, true],
    ["bool", -1, 1, true],
    ["bool", 0, 1, false],
    ["bool", 0, 0, true],
    ["bool", 1, 0, false],
    ["gte", -3, -5, true],
    ["lte", -6, -5, true],
  ] as const)("%s: %s against %s → %s", (comparator, value, target, expected) => {
    expect(holds(comparator, value, target)).toBe(expected);
  });
});

describe("ruleProgress", () => {
  it.each([
    // [comparator, target, weight, value, holds, contribution, remaining]
    ["gte", 10, 50, 8, false, 40, 2],
    ["gte", 10, 50, 0, false, 0, 10],
    ["gte", 10, 50, 10, true, 50, 0],
    ["gte", 10, 50, 15, true, 50, 0],
    ["gte", 500, 30, 400, false, 24, 100],
    ["gte", 100, 20, 60, false, 12, 40],
    // A loss-making profit contributes nothing, never a negative share.
    ["gte", 500, 30, -200, false, 0, 700],
    ["gte", 0, 10, 0, true, 10, 0],
    ["gte", 0, 10, -1, false, 0, 1],
    // "More than 10": 10 is the full share of the weight but does not hold; one more is needed.
    ["gt", 10, 50, 10, false, 50, 1],
    ["gt", 10, 50, 8, false, 40, 3],
    ["gt", 10, 50, 11, true, 50, 0],
    ["gt", 10, 50, -4, false, 0, 15],
    ["gt", 0, 10, 0, false, 0, 1],
    // The other comparators are all or nothing, and have no "remaining".
    ["lte", 5, 20, 5, true, 20, null],
    ["lte", 5, 20, 6, false, 0, null],
    ["lt", 5, 20, 4, true, 20, null],
    ["lt", 5, 20, 5, false, 0, null],
    ["eq", 3, 10, 3, true, 10, null],
    ["eq", 3, 10, 2, false, 0, null],
    ["eq", 3, 10, 4, false, 0, null],
    ["bool", 1, 10, 1, true, 10, null],
    ["bool", 1, 10, 0, false, 0, null],
  ] as const)("%s %s (weight %s) at %s", (comparator, target, weight, value, ok, contribution, remaining) => {
    expect(ruleProgress(rule(comparator, target, weight, value))).toEqual({
      holds: ok,
      contribution,
      remaining,
    });
  });
});

describe("progressOf", () => {
  it.each([
    // [name, rules, progress, completed]
    ["Trading Master part-way (40 + 24 + 12)", tradingMaster(8, 400, 60), 76, false],
    ["Trading Master with every target met", tradingMaster(10, 500, 100), 100, true],
    ["Trading Master with every target passed", tradingMaster(25, 1200, 300), 100, true],
    ["Trading Master with two of three met", tradingMaster(10, 500, 60), 92, false],
    ["Trading Master at a loss (40 + 0 + 12)", tradingMaster(8, -250, 60), 52, false],
    ["Trading Master from nothing", tradingMaster(0, 0, 0), 0, false],
    ["First Win before any win", [rule("gte", 1, 100, 0)], 0, false],
    ["First Win after one win", [rule("gte", 1, 100, 1)], 100, true],
    ["First Win after three wins", [rule("gte", 1, 100, 3)], 100, true],
    // Not completed never shows 100.
    ["more than 10 at exactly 10", [rule("gt", 10, 100, 10)], 99, false],
    ["more than 10 at 11", [rule("gt", 10, 100, 11)], 100, true],
    [
      "a full share that does not hold beside one that does",
      [rule("gt", 10, 50, 10), rule("gte", 5, 50, 5)],
      99,
      false,
    ],
    ["999 of 1000", [rule("gte", 1000, 100, 999)], 99, false],
    ["999.99 of 1000", [rule("gte", 1000, 100, 999.99)], 99, false],
    // Progress is rounded down.
    ["2 of 3", [rule("gte", 3, 100, 2)], 66, false],
    [
      "one of three equal rules",
      [rule("gte", 3, 1, 3), rule("gte", 3, 1, 0), rule("gte", 3, 1, 0)],
      33,
      false,
    ],
    // All-or-nothing comparators.
    ["at most 5 at 6", [rule("lte", 5, 100, 6)], 0, false],
    ["at most 5 at 5", [rule("lte", 5, 100, 5)], 100, true],
    ["fewer than 5 at 5", [rule("lt", 5, 100, 5)], 0, false],
    ["fewer than 5 at 0", [rule("lt", 5, 100, 0)], 100, true],
    ["exactly 3 at 2", [rule("eq", 3, 100, 2)], 0, false],
    ["exactly 3 at 3", [rule("eq", 3, 100, 3)], 100, true],
    ["profile not completed", [rule("bool", 1, 100, 0)], 0, false],
    ["profile completed", [rule("bool", 1, 100, 1)], 100, true],
    ["half a count beside an unmet bool", [rule("gte", 10, 50, 5), rule("bool", 1, 50, 0)], 25, false],
    ["half a count beside a met bool", [rule("gte", 10, 50, 5), rule("bool", 1, 50, 1)], 75, false],
    // Weights need not add up to 100.
    ["weights of 1 and 3", [rule("gte", 4, 1, 4), rule("gte", 4, 3, 2)], 62, false],
    // Degenerate definitions.
    ["no rules", [], 0, false],
    ["a single rule of weight 0 that holds", [rule("gte", 1, 0, 1)], 100, true],
    ["a single rule of weight 0 that does not", [rule("gte", 1, 0, 0)], 0, false],
  ] as const)("%s → %i", (_name, rules, progress, completed) => {
    const result = progressOf(rules);
    expect(result.progress).toBe(progress);
    expect(result.completed).toBe(completed);
    expect(Number.isInteger(result.progress)).toBe(true);
  });

  it("reports each rule's share and what remains, in the rules' order", () => {
    expect(progressOf(tradingMaster(8, 400, 60)).rules).toEqual([
      { holds: false, contribution: 40, remaining: 2 },
      { holds: false, contribution: 24, remaining: 100 },
      { holds: false, contribution: 12, remaining: 40 },
    ]);
  });

  it.each([
    // [value, target]: value/target × 100 is a whole percentage that floating point puts just below.
    [29, 100, 29],
    [57, 100, 57],
    [58, 100, 58],
    [2.9, 10, 29],
    [0.29, 1, 29],
    [0.57, 1, 57],
    [14.5, 50, 29],
  ])("shows %s of %s as %i%%, not one less", (value, target, expected) => {
    expect(progressOf([rule("gte", target, 100, value)]).progress).toBe(expected);
  });

  it("never shows 100 before completion nor less than 100 after, over a range of values", () => {
    for (let value = 0; value <= 1000; value++) {
      const result = progressOf([rule("gte", 500, 60, value), rule("gt", 250, 40, value / 2)]);
      const completed = value >= 500 && value / 2 > 250;
      expect(result.completed).toBe(completed);
      if (completed) expect(result.progress).toBe(100);
      else {
        expect(result.progress).toBeLessThanOrEqual(99);
        expect(result.progress).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("never decreases as a gte rule's value grows", () => {
    let previous = -1;
    for (let value = -50; value <= 120; value += 0.5) {
      const { progress } = progressOf([rule("gte", 100, 70, value), rule("bool", 1, 30, 1)]);
      expect(progress).toBeGreaterThanOrEqual(previous);
      previous = progress;
    }
    expect(previous).toBe(100);
  });
});
