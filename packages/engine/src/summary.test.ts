import { describe, expect, it } from "vitest";
import {
  type HighlightMoment,
  highlightsOf,
  MAX_HIGHLIGHTS,
  mostActiveMonth,
  summaryOf,
  twelveMonths,
  type YearFacts,
} from "./summary.js";

/** A year with nothing in it; tests override only what they exercise. */
const facts = (overrides: Partial<YearFacts> = {}): YearFacts => ({
  totalActivities: 0,
  totalMinutes: 0,
  totalContacts: 0,
  totalEventsAttended: 0,
  badgesEarned: 0,
  topActivityType: null,
  monthlyCounts: [],
  longestStreak: null,
  busiestDay: null,
  firstActivity: null,
  milestone: null,
  firstBadge: null,
  ...overrides,
});

const fullYear = { year: 2025, preview: false, asOf: "2025-12-31" };
const preview = (asOf: string, year = 2025) => ({ year, preview: true, asOf });

/** All five moments, dated so that the story order (as pushed) differs from the order of the year. */
const everything = facts({
  firstActivity: { date: "2025-01-03", activityType: "peer_support_call" },
  firstBadge: { name: "Late Bloomer", date: "2025-11-20" },
  milestone: { count: 50, date: "2025-04-10" },
  busiestDay: { date: "2025-02-14", count: 3 },
  longestStreak: { days: 6, endsOn: "2025-08-15" },
});

const types = (moments: HighlightMoment[]) => moments.map((m) => m.type);

describe("twelveMonths", () => {
  const zeros = (n: number) => Array.from({ length: n }, () => 0);
  it.each([
    ["empty", [], zeros(12)],
    ["one month", [3], [3, ...zeros(11)]],
    ["five months", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, ...zeros(7)]],
    ["eleven months", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]],
    ["exactly twelve", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    ["thirteen", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
    ["twenty", [...zeros(11), 7, ...zeros(7), 99], [...zeros(11), 7]],
    ["zeros in between kept", [0, 4, 0, 2], [0, 4, 0, 2, ...zeros(8)]],
  ] as const)("%s → exactly 12 numbers", (_name, counts, expected) => {
    const result = twelveMonths(counts);
    expect(result).toHaveLength(12);
    expect(result).toEqual(expected);
  });

  it("returns a fresh array and leaves its input untouched", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const result = twelveMonths(input);
    expect(result).not.toBe(input);
    result[0] = 100;
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("mostActiveMonth", () => {
  it.each([
    ["empty year", [], null],
    ["twelve zeros", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], null],
    ["only January", [5], 1],
    ["March", [1, 2, 9, 3], 3],
    ["December", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 12],
    ["tie: earliest wins", [0, 4, 1, 4], 2],
    ["tie at the ends", [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7], 1],
    ["every month equal", [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 1],
    ["a single activity in June", [0, 0, 0, 0, 0, 1], 6],
    ["beyond the twelfth entry is ignored", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99], null],
    ["beyond the twelfth entry never wins", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99], 1],
  ] as const)("%s → %s", (_name, counts, expected) => {
    expect(mostActiveMonth(counts)).toBe(expected);
  });
});

describe("highlightsOf", () => {
  it("a full year with no facts has no highlights", () => {
    expect(highlightsOf(facts(), fullYear)).toEqual([]);
  });

  it.each<[string, Partial<YearFacts>, HighlightMoment]>([
    [
      "first activity (every underscore humanized, date spoken)",
      { firstActivity: { date: "2025-01-07", activityType: "peer_support_call" } },
      {
        type: "first_activity",
        date: "2025-01-07",
        description: "Your first activity of 2025: a peer support call on 7 January",
      },
    ],
    [
      "first badge",
      { firstBadge: { name: "First Steps", date: "2025-02-11" } },
      { type: "badge_earned", date: "2025-02-11", description: "You earned the badge “First Steps”" },
    ],
    [
      "milestone",
      { milestone: { count: 25, date: "2025-06-30" } },
      { type: "milestone", date: "2025-06-30", value: 25, description: "Your 25th activity of the year" },
    ],
    [
      "milestone of 100",
      { milestone: { count: 100, date: "2025-10-01" } },
      { type: "milestone", date: "2025-10-01", value: 100, description: "Your 100th activity of the year" },
    ],
    [
      "busiest day",
      { busiestDay: { date: "2025-11-02", count: 4 } },
      {
        type: "busiest_day",
        date: "2025-11-02",
        value: 4,
        description: "Your busiest day: 4 activities on 2 November",
      },
    ],
    [
      "longest streak, dated the day it ends",
      { longestStreak: { days: 6, endsOn: "2025-08-15" } },
      {
        type: "longest_streak",
        date: "2025-08-15",
        value: 6,
        description: "Your longest streak: 6 days in a row",
      },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(highlightsOf(facts(overrides), fullYear)).toStrictEqual([expected]);
  });

  it("uses the year it is given in the first activity's description", () => {
    const [moment] = highlightsOf(facts({ firstActivity: { date: "2024-03-05", activityType: "walk" } }), {
      year: 2024,
      preview: false,
      asOf: "2024-12-31",
    });
    expect(moment?.description).toBe("Your first activity of 2024: a walk on 5 March");
  });

  it.each([
    ["2025-01-01", "1 January"],
    ["2025-02-09", "9 February"],
    ["2024-02-29", "29 February"],
    ["2025-03-15", "15 March"],
    ["2025-04-30", "30 April"],
    ["2025-05-05", "5 May"],
    ["2025-06-21", "21 June"],
    ["2025-07-04", "4 July"],
    ["2025-08-08", "8 August"],
    ["2025-09-10", "10 September"],
    ["2025-10-09", "9 October"],
    ["2025-11-11", "11 November"],
    ["2025-12-31", "31 December"],
  ])("speaks %s as %s", (date, spoken) => {
    const [moment] = highlightsOf(facts({ busiestDay: { date, count: 2 } }), fullYear);
    expect(moment?.description).toBe(`Your busiest day: 2 activities on ${spoken}`);
  });

  it.each([
    [0, false],
    [1, false],
    [2, true],
    [10, true],
  ])("busiest day with %s activities is a highlight: %s", (count, shown) => {
    const moments = highlightsOf(facts({ busiestDay: { date: "2025-05-01", count } }), fullYear);
    expect(types(moments)).toEqual(shown ? ["busiest_day"] : []);
  });

  it.each([
    [0, false],
    [1, false],
    [2, true],
    [30, true],
  ])("streak of %s days is a highlight: %s", (days, shown) => {
    const moments = highlightsOf(facts({ longestStreak: { days, endsOn: "2025-05-01" } }), fullYear);
    expect(types(moments)).toEqual(shown ? ["longest_streak"] : []);
  });

  it.each<[string, YearFacts, string[]]>([
    [
      "all five, story order differs from the year's",
      everything,
      ["first_activity", "busiest_day", "milestone", "longest_streak", "badge_earned"],
    ],
    [
      "story order fully reversed by date",
      facts({
        firstActivity: { date: "2025-12-01", activityType: "call" },
        firstBadge: { name: "B", date: "2025-10-01" },
        milestone: { count: 10, date: "2025-07-01" },
        busiestDay: { date: "2025-04-01", count: 2 },
        longestStreak: { days: 2, endsOn: "2025-01-02" },
      }),
      ["longest_streak", "busiest_day", "milestone", "badge_earned", "first_activity"],
    ],
    [
      "dates compared across months and days, not by string length or day number",
      facts({
        firstBadge: { name: "B", date: "2025-10-02" },
        milestone: { count: 10, date: "2025-09-30" },
        busiestDay: { date: "2025-10-10", count: 2 },
      }),
      ["milestone", "badge_earned", "busiest_day"],
    ],
    [
      "same-day moments keep the story's order",
      facts({
        firstActivity: { date: "2025-03-01", activityType: "call" },
        firstBadge: { name: "B", date: "2025-03-01" },
        milestone: { count: 10, date: "2025-03-01" },
      }),
      ["first_activity", "badge_earned", "milestone"],
    ],
  ])("chronological: %s", (_name, yearFacts, expected) => {
    const moments = highlightsOf(yearFacts, fullYear);
    expect(types(moments)).toEqual(expected);
    const dates = moments.map((m) => m.date);
    expect(dates).toEqual([...dates].sort());
  });

  it("a full year holds at most five moments and never the preview moment", () => {
    const moments = highlightsOf(everything, fullYear);
    expect(MAX_HIGHLIGHTS).toBe(5);
    expect(moments).toHaveLength(5);
    expect(types(moments)).not.toContain("year_to_date_preview");
  });

  it("a preview leads with a moment dated asOf that says the year is not over", () => {
    const moments = highlightsOf(facts(), preview("2025-03-14"));
    expect(moments).toStrictEqual([
      {
        type: "year_to_date_preview",
        date: "2025-03-14",
        description: "Year to date, as of 14 March: 2025 is not over yet",
      },
    ]);
  });

  it("a preview's moment uses the year and date it is given", () => {
    const [flag] = highlightsOf(facts(), preview("2024-06-07", 2024));
    expect(flag?.description).toBe("Year to date, as of 7 June: 2024 is not over yet");
    expect(flag?.date).toBe("2024-06-07");
  });

  it("a preview with all five facts keeps the four earliest after the leading moment", () => {
    const moments = highlightsOf(everything, preview("2025-12-01"));
    expect(moments).toHaveLength(MAX_HIGHLIGHTS);
    // The badge (pushed second, dated latest) is the one left out, not the streak (pushed last).
    expect(types(moments)).toEqual([
      "year_to_date_preview",
      "first_activity",
      "busiest_day",
      "milestone",
      "longest_streak",
    ]);
    expect(moments[0]?.date).toBe("2025-12-01");
  });

  it("a preview leads with its moment even when asOf is earlier than the others", () => {
    const moments = highlightsOf(everything, preview("2025-01-01"));
    expect(moments[0]?.type).toBe("year_to_date_preview");
    expect(moments[0]?.date).toBe("2025-01-01");
    expect(moments.filter((m) => m.type === "year_to_date_preview")).toHaveLength(1);
  });

  it("a preview with few facts keeps them all, in the order of the year", () => {
    const moments = highlightsOf(
      facts({
        milestone: { count: 10, date: "2025-02-20" },
        firstActivity: { date: "2025-01-09", activityType: "call" },
      }),
      preview("2025-03-01"),
    );
    expect(types(moments)).toEqual(["year_to_date_preview", "first_activity", "milestone"]);
  });

  it("does not change the facts it is given", () => {
    const before = structuredClone(everything);
    highlightsOf(everything, fullYear);
    highlightsOf(everything, preview("2025-06-01"));
    expect(everything).toEqual(before);
  });
});

describe("summaryOf", () => {
  it.each([
    [0, 0],
    [1, 0.02],
    [30, 0.5],
    [59, 0.98],
    [60, 1],
    [90, 1.5],
    [100, 1.67],
    [125, 2.08],
    [3150, 52.5],
    [6001, 100.02],
  ])("%s minutes → %s hours", (minutes, hours) => {
    expect(summaryOf(facts({ totalMinutes: minutes }), fullYear).totalHours).toBe(hours);
  });

  it.each([
    [null, 0],
    [{ days: 1, endsOn: "2025-01-01" }, 1],
    [{ days: 12, endsOn: "2025-05-01" }, 12],
  ])("longest streak %o → streakDays %s", (longestStreak, streakDays) => {
    expect(summaryOf(facts({ longestStreak }), fullYear).streakDays).toBe(streakDays);
  });

  it("maps every figure from the year's facts", () => {
    const yearFacts: YearFacts = {
      ...everything,
      totalActivities: 57,
      totalMinutes: 125,
      totalContacts: 14,
      totalEventsAttended: 3,
      badgesEarned: 2,
      topActivityType: "peer_support_call",
      monthlyCounts: [4, 9, 2, 9, 6],
    };
    expect(summaryOf(yearFacts, fullYear)).toStrictEqual({
      totalActivities: 57,
      totalHours: 2.08,
      totalContactsReached: 14,
      totalEventsAttended: 3,
      badgesEarnedCount: 2,
      topActivityType: "peer_support_call",
      mostActiveMonth: 2,
      streakDays: 6,
      monthlyActivityCounts: [4, 9, 2, 9, 6, 0, 0, 0, 0, 0, 0, 0],
      highlightMoments: highlightsOf(yearFacts, fullYear),
    });
  });

  it("an empty year has null month and type, zero streak, twelve zeros and no highlights", () => {
    expect(summaryOf(facts(), fullYear)).toStrictEqual({
      totalActivities: 0,
      totalHours: 0,
      totalContactsReached: 0,
      totalEventsAttended: 0,
      badgesEarnedCount: 0,
      topActivityType: null,
      mostActiveMonth: null,
      streakDays: 0,
      monthlyActivityCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      highlightMoments: [],
    });
  });

  it("passes the preview options through to the highlights", () => {
    const summary = summaryOf(everything, preview("2025-09-01"));
    expect(summary.highlightMoments).toEqual(highlightsOf(everything, preview("2025-09-01")));
    expect(summary.highlightMoments[0]).toStrictEqual({
      type: "year_to_date_preview",
      date: "2025-09-01",
      description: "Year to date, as of 1 September: 2025 is not over yet",
    });
    expect(summaryOf(everything, fullYear).highlightMoments.map((m) => m.type)).not.toContain(
      "year_to_date_preview",
    );
  });

  it("truncates over-long monthly counts and picks the month from the first twelve", () => {
    const summary = summaryOf(facts({ monthlyCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 50] }), fullYear);
    expect(summary.monthlyActivityCounts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(summary.mostActiveMonth).toBe(11);
  });
});
