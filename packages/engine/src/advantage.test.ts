import { describe, expect, it } from "vitest";
import {
  type AdvantageParameters,
  type AdvantageTotals,
  advantageOf,
  CALCULATION_VERSION,
  IMPACT_WEIGHTS,
  isBenefitCategory,
  socialImpactScore,
} from "./advantage.js";

const totals: AdvantageTotals = { activities: 40, hours: 52.5, contacts: 12, points: 60 };

const travel = { key: "travel_savings", label: "Travel savings", basis: "activities", rate: 45 };
const skills = { key: "skill_development", label: "Skill development", basis: "hours", rate: 60 };
const network = { key: "network_growth", label: "Network growth", basis: "contacts", rate: 150 };

const parameters = (benefitCategories: readonly unknown[], hourlyRate = 535): AdvantageParameters => ({
  hourlyRate,
  currency: "NOK",
  source: "x",
  benefitCategories,
});

describe("advantageOf", () => {
  it("computes the hand-worked example", () => {
    // 52.5 h × 535 = 28087.5; 40 × 45 = 1800; 52.5 × 60 = 3150; 12 × 150 = 1800;
    // impact = 40 × 1 + 52.5 × 2 + 12 × 5 + 60 × 0.5 = 40 + 105 + 60 + 30 = 235.
    expect(advantageOf(totals, parameters([travel, skills, network]))).toStrictEqual({
      estimatedMonetaryValue: 28087.5,
      socialImpactScore: 235,
      breakdown: [
        {
          key: "travel_savings",
          label: "Travel savings",
          basis: "activities",
          quantity: 40,
          rate: 45,
          value: 1800,
        },
        {
          key: "skill_development",
          label: "Skill development",
          basis: "hours",
          quantity: 52.5,
          rate: 60,
          value: 3150,
        },
        {
          key: "network_growth",
          label: "Network growth",
          basis: "contacts",
          quantity: 12,
          rate: 150,
          value: 1800,
        },
      ],
      skippedCategories: 0,
      calculationVersion: CALCULATION_VERSION,
    });
  });

  it("without parameters has no monetary value and no breakdown, but still a social impact score", () => {
    expect(advantageOf(totals, null)).toStrictEqual({
      estimatedMonetaryValue: null,
      socialImpactScore: 235,
      breakdown: [],
      skippedCategories: 0,
      calculationVersion: CALCULATION_VERSION,
    });
  });

  it.each([
    // [hours, hourlyRate, expected]
    [52.5, 535, 28087.5],
    [0, 535, 0],
    [10, 0, 0],
    [1.5, 33.33, 50], // 49.995 → 50.00
    [0.7, 45.55, 31.88], // 31.884999… → 31.88
    [2.25, 10.01, 22.52], // 22.5225 → 22.52
    [1 / 3, 100, 33.33],
  ])("%s hours at %s an hour → %s", (hours, hourlyRate, expected) => {
    const result = advantageOf({ ...totals, hours }, parameters([], hourlyRate));
    expect(result.estimatedMonetaryValue).toBe(expected);
  });

  it.each([
    ["activities", 40],
    ["hours", 52.5],
    ["contacts", 12],
  ] as const)("a %s category counts the year's %s", (basis, quantity) => {
    const category = { key: "k", label: "L", basis, rate: 2 };
    const [item] = advantageOf(totals, parameters([category])).breakdown;
    expect(item).toStrictEqual({ key: "k", label: "L", basis, quantity, rate: 2, value: quantity * 2 });
  });

  it.each([
    // [basis, hours, rate, value]
    ["hours", 1.5, 33.33, 50],
    ["hours", 0.7, 45.55, 31.88],
    ["hours", 1 / 3, 1, 0.33],
  ] as const)("rounds a breakdown value to cents: %s %s × %s → %s", (basis, hours, rate, value) => {
    const category = { key: "k", label: "L", basis, rate };
    const [item] = advantageOf({ ...totals, hours }, parameters([category])).breakdown;
    expect(item?.quantity).toBe(hours);
    expect(item?.value).toBe(value);
  });

  it("a rate of zero is a valid category worth nothing", () => {
    const result = advantageOf(totals, parameters([{ ...travel, rate: 0 }]));
    expect(result.skippedCategories).toBe(0);
    expect(result.breakdown).toStrictEqual([
      {
        key: "travel_savings",
        label: "Travel savings",
        basis: "activities",
        quantity: 40,
        rate: 0,
        value: 0,
      },
    ]);
  });

  it("keeps no extra properties of a category in its breakdown item", () => {
    const [item] = advantageOf(totals, parameters([{ ...network, note: "ignored", rate: 150 }])).breakdown;
    expect(item).toStrictEqual({
      key: "network_growth",
      label: "Network growth",
      basis: "contacts",
      quantity: 12,
      rate: 150,
      value: 1800,
    });
  });

  it.each<[string, unknown[], string[], number]>([
    ["none at all", [], [], 0],
    ["all valid", [travel, skills, network], ["travel_savings", "skill_development", "network_growth"], 0],
    ["missing key", [{ label: "L", basis: "hours", rate: 1 }, skills], ["skill_development"], 1],
    ["empty key", [{ ...travel, key: "" }, skills], ["skill_development"], 1],
    ["negative rate", [travel, { ...skills, rate: -5 }], ["travel_savings"], 1],
    ["unknown basis", [{ ...travel, basis: "minutes" }, network], ["network_growth"], 1],
    ["non-object", ["travel_savings", 42, null, network], ["network_growth"], 3],
    [
      "a mix, valid ones kept in order",
      [travel, { ...skills, rate: Number.NaN }, undefined, network, { ...network, label: 7 }, skills],
      ["travel_savings", "network_growth", "skill_development"],
      3,
    ],
    ["nothing valid", [{}, [], "x", { ...travel, rate: "45" }], [], 4],
  ])("skips malformed categories: %s", (_name, categories, keys, skipped) => {
    const result = advantageOf(totals, parameters(categories));
    expect(result.breakdown.map((b) => b.key)).toEqual(keys);
    expect(result.skippedCategories).toBe(skipped);
    expect(result.estimatedMonetaryValue).toBe(28087.5);
  });

  it("reports the calculation version", () => {
    expect(CALCULATION_VERSION).toBe("2026.1");
    expect(advantageOf(totals, parameters([])).calculationVersion).toBe(CALCULATION_VERSION);
    expect(advantageOf(totals, null).calculationVersion).toBe(CALCULATION_VERSION);
  });

  it("the social impact score does not depend on the parameters", () => {
    const expected = socialImpactScore(totals);
    expect(advantageOf(totals, null).socialImpactScore).toBe(expected);
    expect(advantageOf(totals, parameters([travel], 9999)).socialImpactScore).toBe(expected);
  });
});

describe("isBenefitCategory", () => {
  it.each<[string, unknown]>([
    ["activities basis", travel],
    ["hours basis", skills],
    ["contacts basis", network],
    ["zero rate", { ...travel, rate: 0 }],
    ["fractional rate", { ...travel, rate: 12.75 }],
    ["extra properties", { ...travel, note: "x" }],
  ])("accepts %s", (_name, value) => {
    expect(isBenefitCategory(value)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["undefined", undefined],
    ["a string", "travel_savings"],
    ["a number", 45],
    ["a boolean", true],
    ["an array", [travel]],
    ["an empty object", {}],
    ["missing key", { label: "L", basis: "hours", rate: 1 }],
    ["empty key", { ...travel, key: "" }],
    ["numeric key", { ...travel, key: 1 }],
    ["missing label", { key: "k", basis: "hours", rate: 1 }],
    ["numeric label", { ...travel, label: 3 }],
    ["missing basis", { key: "k", label: "L", rate: 1 }],
    ["unknown basis", { ...travel, basis: "minutes" }],
    ["basis in another case", { ...travel, basis: "Hours" }],
    ["missing rate", { key: "k", label: "L", basis: "hours" }],
    ["negative rate", { ...travel, rate: -1 }],
    ["slightly negative rate", { ...travel, rate: -0.01 }],
    ["NaN rate", { ...travel, rate: Number.NaN }],
    ["infinite rate", { ...travel, rate: Number.POSITIVE_INFINITY }],
    ["string rate", { ...travel, rate: "45" }],
    ["null rate", { ...travel, rate: null }],
  ])("rejects %s", (_name, value) => {
    expect(isBenefitCategory(value)).toBe(false);
  });
});

describe("socialImpactScore", () => {
  it("weighs activities 1, hours 2, contacts 5 and points 0.5", () => {
    expect(IMPACT_WEIGHTS).toEqual({ activities: 1, hours: 2, contacts: 5, points: 0.5 });
  });

  it.each<[string, AdvantageTotals, number]>([
    ["nothing", { activities: 0, hours: 0, contacts: 0, points: 0 }, 0],
    ["one activity", { activities: 1, hours: 0, contacts: 0, points: 0 }, 1],
    ["one hour", { activities: 0, hours: 1, contacts: 0, points: 0 }, 2],
    ["one contact", { activities: 0, hours: 0, contacts: 1, points: 0 }, 5],
    ["one point", { activities: 0, hours: 0, contacts: 0, points: 1 }, 0.5],
    ["the hand-worked example", totals, 235],
    ["a third of an hour, rounded to cents", { activities: 0, hours: 1 / 3, contacts: 0, points: 0 }, 0.67],
    ["0.3333 hours → 0.6666 → 0.67", { activities: 0, hours: 0.3333, contacts: 0, points: 0 }, 0.67],
    ["10.004 hours → 20.008 → 20.01", { activities: 0, hours: 10.004, contacts: 0, points: 0 }, 20.01],
    [
      "0.01 points → 0.005 → 0.01 (half rounds up)",
      { activities: 0, hours: 0, contacts: 0, points: 0.01 },
      0.01,
    ],
    ["0.002 hours → 0.004 → 0", { activities: 0, hours: 0.002, contacts: 0, points: 0 }, 0],
    ["odd points", { activities: 3, hours: 1.25, contacts: 2, points: 7 }, 3 + 2.5 + 10 + 3.5],
  ])("%s → %s", (_name, t, expected) => {
    expect(socialImpactScore(t)).toBe(expected);
  });
});
