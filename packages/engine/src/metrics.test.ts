import { describe, expect, it } from "vitest";
import { seededRandom as prng } from "./random.js";
import {
  distinctMember,
  effectOn,
  EMPTY_METRIC,
  fold,
  matchesFilter,
  type MetricAggregation,
  type MetricDefinition,
  type MetricEvent,
  type MetricState,
  type Scalar,
  step,
} from "./metrics.js";

const OSLO = "Europe/Oslo";

function metric(overrides: Partial<MetricDefinition> = {}): MetricDefinition {
  return {
    aggregation: "count",
    eventTypes: ["e"],
    resetEventTypes: [],
    filter: {},
    distinctAttribute: null,
    window: "all_time",
    streakUnit: null,
    ...overrides,
  };
}

function ev(
  type: string,
  occurredAt: string,
  value: number | null = null,
  attributes: Record<string, unknown> = {},
): MetricEvent {
  return { type, value, attributes, occurredAt: new Date(occurredAt) };
}

/** Events at one-minute steps from a base instant, in the order given. */
function sequence(types: readonly string[], base = "2026-01-05T10:00:00Z"): MetricEvent[] {
  return types.map((type, i) => ev(type, new Date(Date.parse(base) + i * 60_000).toISOString()));
}

/** `step` over events in the order given, tracking distinct members as the API does; every state seen. */
function stepAll(m: MetricDefinition, events: readonly MetricEvent[], timeZone = "UTC"): MetricState[] {
  const members = new Set<string>();
  const states: MetricState[] = [];
  let current = EMPTY_METRIC;
  for (const event of events) {
    const member = distinctMember(m, event);
    const newMember = member !== null && effectOn(m, event) === "feed" && !members.has(member);
    if (newMember) members.add(member);
    const result = step(m, current, event, { timeZone, newMember });
    if (result.kind !== "next") throw new Error(`unexpected recompute at ${event.occurredAt.toISOString()}`);
    current = result.next;
    states.push(current);
  }
  return states;
}

const valuesOf = (m: MetricDefinition, events: readonly MetricEvent[], timeZone = "UTC") =>
  stepAll(m, events, timeZone).map((s) => s.value);

function nextOf(result: ReturnType<typeof step>): MetricState {
  if (result.kind !== "next") throw new Error("expected the event to apply in order");
  return result.next;
}

describe("matchesFilter", () => {
  it.each([
    [{}, {}, true],
    [{}, { activity_type: "home_visit" }, true],
    [{ activity_type: "home_visit" }, { activity_type: "home_visit" }, true],
    [{ activity_type: "home_visit" }, { activity_type: "home_visit", contact: "c1" }, true],
    [{ activity_type: "home_visit" }, { activity_type: "phone_call" }, false],
    [{ activity_type: "home_visit" }, {}, false],
    [{ activity_type: "home_visit" }, { activity_type: null }, false],
    [{ activity_type: "home_visit" }, { activity_type: "Home_Visit" }, false],
    // Equality is strict: a number does not match its string, nor a boolean its name.
    [{ level: 3 }, { level: 3 }, true],
    [{ level: 3 }, { level: "3" }, false],
    [{ ranked: true }, { ranked: true }, true],
    [{ ranked: true }, { ranked: "true" }, false],
    [{ ranked: false }, {}, false],
    // Every key must match.
    [{ activity_type: "home_visit", group: "a" }, { activity_type: "home_visit", group: "a" }, true],
    [{ activity_type: "home_visit", group: "a" }, { activity_type: "home_visit", group: "b" }, false],
    [{ activity_type: "home_visit", group: "a" }, { activity_type: "home_visit" }, false],
  ])("%j against %j → %s", (filter, attributes, expected) => {
    expect(matchesFilter(filter, attributes)).toBe(expected);
  });
});

describe("effectOn", () => {
  const winStreak = metric({
    aggregation: "current_streak",
    eventTypes: ["match_won"],
    resetEventTypes: ["match_lost"],
    streakUnit: "events",
  });
  const homeVisits = metric({ eventTypes: ["activity_logged"], filter: { activity_type: "home_visit" } });

  it.each([
    [winStreak, "match_won", {}, "feed"],
    [winStreak, "match_lost", {}, "reset"],
    [winStreak, "match_drawn", {}, null],
    [homeVisits, "activity_logged", { activity_type: "home_visit" }, "feed"],
    [homeVisits, "activity_logged", { activity_type: "phone_call" }, null],
    [homeVisits, "activity_logged", {}, null],
    [homeVisits, "event_attended", { activity_type: "home_visit" }, null],
  ] as const)("%#: %s with %j → %s", (m, type, attributes, expected) => {
    expect(effectOn(m, { type, attributes })).toBe(expected);
  });
});

describe("distinctMember", () => {
  const contacts = metric({
    aggregation: "distinct",
    eventTypes: ["activity_logged"],
    distinctAttribute: "contact",
  });

  it.each([
    [contacts, { contact: "c-17" }, "c-17"],
    [contacts, { contact: 42 }, "42"],
    [contacts, { contact: 0 }, "0"],
    [contacts, { contact: false }, "false"],
    [contacts, { contact: "" }, null],
    [contacts, { contact: null }, null],
    [contacts, {}, null],
    [contacts, { other: "c-17" }, null],
    [{ ...contacts, distinctAttribute: null }, { contact: "c-17" }, null],
    [{ ...contacts, aggregation: "count" as const }, { contact: "c-17" }, null],
  ])("%#: %j → %s", (m, attributes, expected) => {
    expect(distinctMember(m, { attributes })).toBe(expected);
  });
});

describe("step", () => {
  const ctx = { timeZone: "UTC" };

  it("leaves a metric untouched by an event that neither feeds nor resets it", () => {
    const current: MetricState = { value: 7, state: { lastAt: "2026-01-01T00:00:00.000Z" } };
    for (const aggregation of ["count", "sum", "max", "latest", "boolean", "distinct"] as const) {
      const result = step(metric({ aggregation }), current, ev("other", "2026-01-02T00:00:00Z", 5), ctx);
      expect(result).toEqual({ kind: "next", next: current });
    }
  });

  describe("count", () => {
    it("adds one per feeding event, whatever its value", () => {
      const m = metric({ eventTypes: ["match_won", "match_lost"] });
      const events = [
        ev("match_won", "2026-01-01T10:00:00Z", 5),
        ev("match_drawn", "2026-01-01T11:00:00Z"),
        ev("match_lost", "2026-01-01T12:00:00Z", -3),
        ev("match_won", "2026-01-01T13:00:00Z"),
      ];
      expect(valuesOf(m, events)).toEqual([1, 1, 2, 3]);
    });

    it("ignores reset events", () => {
      const m = metric({ eventTypes: ["match_won"], resetEventTypes: ["match_lost"] });
      expect(valuesOf(m, sequence(["match_won", "match_lost", "match_won"]))).toEqual([1, 1, 2]);
    });

    it("counts an event older than the last one all the same", () => {
      const current: MetricState = { value: 4, state: {} };
      expect(nextOf(step(metric(), current, ev("e", "2020-01-01T00:00:00Z"), ctx)).value).toBe(5);
    });
  });

  describe("sum", () => {
    it.each([
      ["positive values", [10, 20, 5], [10, 30, 35]],
      ["fractions", [1.5, 0.25, 2], [1.5, 1.75, 3.75]],
      ["a loss lowers a profit", [100, -30, -100], [100, 70, -30]],
      ["an event without a value adds nothing", [3, null, 4], [3, 3, 7]],
    ] as const)("%s", (_name, values, expected) => {
      const m = metric({ aggregation: "sum", eventTypes: ["position_closed"] });
      const events = values.map((v, i) => ev("position_closed", `2026-01-0${i + 1}T12:00:00Z`, v));
      expect(valuesOf(m, events)).toEqual(expected);
    });
  });

  describe("max", () => {
    it.each([
      ["rises and holds", [3, 7, 5], [3, 7, 7]],
      ["starts from a negative first value, not from 0", [-5, -8, -2], [-5, -5, -2]],
      ["treats a missing value as 0", [null, -1, 4], [0, 0, 4]],
    ] as const)("%s", (_name, values, expected) => {
      const m = metric({ aggregation: "max" });
      const events = values.map((v, i) => ev("e", `2026-01-0${i + 1}T12:00:00Z`, v));
      expect(valuesOf(m, events)).toEqual(expected);
    });

    it("takes an older, larger value too (a maximum does not depend on order)", () => {
      const m = metric({ aggregation: "max" });
      const [first] = stepAll(m, [ev("e", "2026-01-02T00:00:00Z", 3)]);
      expect(nextOf(step(m, first!, ev("e", "2026-01-01T00:00:00Z", 9), ctx)).value).toBe(9);
    });
  });

  describe("latest", () => {
    const level = metric({ aggregation: "latest", eventTypes: ["level_changed"] });

    it("follows the newest value, down as well as up", () => {
      const events = [
        ev("level_changed", "2026-01-01T10:00:00Z", 5),
        ev("level_changed", "2026-01-02T10:00:00Z", 7),
        ev("level_changed", "2026-01-03T10:00:00Z", 2),
        ev("level_changed", "2026-01-04T10:00:00Z", null),
      ];
      expect(valuesOf(level, events)).toEqual([5, 7, 2, 0]);
    });

    it("keeps a newer value when an older event arrives late", () => {
      const [, newest] = stepAll(level, [
        ev("level_changed", "2026-01-01T10:00:00Z", 5),
        ev("level_changed", "2026-01-03T10:00:00Z", 7),
      ]);
      const late = step(level, newest!, ev("level_changed", "2026-01-02T10:00:00Z", 1), ctx);
      expect(late).toEqual({ kind: "next", next: newest });
      // A newer event still applies afterwards.
      expect(nextOf(step(level, newest!, ev("level_changed", "2026-01-04T10:00:00Z", 9), ctx)).value).toBe(9);
    });

    it("lets the later of two events at the same instant win", () => {
      const events = [
        ev("level_changed", "2026-01-01T10:00:00Z", 5),
        ev("level_changed", "2026-01-01T10:00:00Z", 6),
      ];
      expect(valuesOf(level, events)).toEqual([5, 6]);
    });
  });

  describe("boolean", () => {
    const profile = metric({ aggregation: "boolean", eventTypes: ["profile_completed"] });

    it.each([
      [null, 1],
      [1, 1],
      [5, 1],
      [-1, 1],
      [0.5, 1],
      [0, 0],
    ])("an event with value %s gives %i", (value, expected) => {
      expect(
        nextOf(step(profile, EMPTY_METRIC, ev("profile_completed", "2026-01-01T10:00:00Z", value), ctx))
          .value,
      ).toBe(expected);
    });

    it("follows the newest event and ignores older ones arriving late", () => {
      const [, off] = stepAll(profile, [
        ev("profile_completed", "2026-01-01T10:00:00Z", null),
        ev("profile_completed", "2026-01-03T10:00:00Z", 0),
      ]);
      expect(off!.value).toBe(0);
      expect(nextOf(step(profile, off!, ev("profile_completed", "2026-01-02T10:00:00Z", 1), ctx)).value).toBe(
        0,
      );
      expect(nextOf(step(profile, off!, ev("profile_completed", "2026-01-04T10:00:00Z", 1), ctx)).value).toBe(
        1,
      );
    });
  });

  describe("distinct", () => {
    const contacts = metric({
      aggregation: "distinct",
      eventTypes: ["activity_logged"],
      distinctAttribute: "contact",
    });

    it.each([
      [true, 4],
      [false, 3],
      [undefined, 3],
    ])("newMember %s → %i", (newMember, expected) => {
      const current: MetricState = { value: 3, state: {} };
      const result = step(
        contacts,
        current,
        ev("activity_logged", "2026-01-01T10:00:00Z", null, { contact: "c9" }),
        {
          timeZone: "UTC",
          newMember,
        },
      );
      expect(nextOf(result).value).toBe(expected);
    });

    it("counts each contact once", () => {
      const events = ["c1", "c2", "c1", "", null, "c3", "c2"].map((contact, i) =>
        ev("activity_logged", `2026-01-0${i + 1}T10:00:00Z`, null, contact === null ? {} : { contact }),
      );
      expect(valuesOf(contacts, events)).toEqual([1, 2, 2, 2, 2, 3, 3]);
      expect(fold(contacts, events, "UTC").value).toBe(3);
    });
  });

  describe("attribute filters", () => {
    const visits = (aggregation: MetricAggregation) =>
      metric({
        aggregation,
        eventTypes: ["activity_logged"],
        filter: { activity_type: "home_visit" },
        distinctAttribute: aggregation === "distinct" ? "contact" : null,
      });
    const events = [
      ev("activity_logged", "2026-01-01T10:00:00Z", 2, { activity_type: "home_visit", contact: "a" }),
      ev("activity_logged", "2026-01-01T11:00:00Z", 5, { activity_type: "phone_call", contact: "b" }),
      ev("activity_logged", "2026-01-01T12:00:00Z", 1.5, { activity_type: "home_visit", contact: "c" }),
      ev("activity_logged", "2026-01-01T13:00:00Z", 9, { contact: "d" }),
    ];

    it.each([
      ["count", [1, 1, 2, 2]],
      ["sum", [2, 2, 3.5, 3.5]],
      ["max", [2, 2, 2, 2]],
      ["latest", [2, 2, 1.5, 1.5]],
      ["distinct", [1, 1, 2, 2]],
    ] as const)("only home visits feed %s", (aggregation, expected) => {
      expect(valuesOf(visits(aggregation), events)).toEqual(expected);
      expect(fold(visits(aggregation), events, "UTC").value).toBe(expected.at(-1));
    });
  });

  describe("streaks of events", () => {
    const winStreak = (aggregation: "current_streak" | "longest_streak") =>
      metric({
        aggregation,
        eventTypes: ["match_won"],
        resetEventTypes: ["match_lost"],
        streakUnit: "events",
      });
    const W = "match_won";
    const L = "match_lost";
    const D = "match_drawn";

    it.each([
      ["wins in a row", [W, W, W], [1, 2, 3], [1, 2, 3]],
      ["a loss breaks the run", [W, W, L, W, W, W], [1, 2, 0, 1, 2, 3], [1, 2, 2, 2, 2, 3]],
      [
        "the longest run is kept after a shorter one",
        [W, W, W, L, W, L],
        [1, 2, 3, 0, 1, 0],
        [1, 2, 3, 3, 3, 3],
      ],
      ["a loss first", [L, W], [0, 1], [0, 1]],
      ["losses in a row", [W, L, L], [1, 0, 0], [1, 1, 1]],
      ["a draw neither feeds nor breaks", [W, D, W, D], [1, 1, 2, 2], [1, 1, 2, 2]],
    ])("%s", (_name, types, current, longest) => {
      const events = sequence(types);
      expect(valuesOf(winStreak("current_streak"), events)).toEqual(current);
      expect(valuesOf(winStreak("longest_streak"), events)).toEqual(longest);
    });

    it("accepts an event at the same instant as the last one", () => {
      const events = [ev(W, "2026-01-01T10:00:00Z"), ev(W, "2026-01-01T10:00:00Z")];
      expect(valuesOf(winStreak("current_streak"), events)).toEqual([1, 2]);
    });

    it.each([
      ["current_streak", W],
      ["current_streak", L],
      ["longest_streak", W],
      ["longest_streak", L],
    ] as const)("asks %s to recompute when a %s arrives older than the last event", (aggregation, type) => {
      const m = winStreak(aggregation);
      const [state] = stepAll(m, [ev(W, "2026-01-02T10:00:00Z")]);
      expect(step(m, state!, ev(type, "2026-01-02T09:59:59Z"), ctx)).toEqual({ kind: "recompute" });
    });

    it("asks to recompute when a win arrives older than the last loss", () => {
      const m = winStreak("current_streak");
      const states = stepAll(m, [ev(W, "2026-01-01T10:00:00Z"), ev(L, "2026-01-03T10:00:00Z")]);
      expect(step(m, states[1]!, ev(W, "2026-01-02T10:00:00Z"), ctx)).toEqual({ kind: "recompute" });
    });
  });

  describe("streaks of days", () => {
    const dayStreak = (aggregation: "current_streak" | "longest_streak") =>
      metric({ aggregation, eventTypes: ["activity_logged"], streakUnit: "days" });

    it.each([
      [
        "consecutive days extend the run, the same day keeps it, a gap restarts at 1",
        [
          "2026-01-05T08:00:00Z",
          "2026-01-05T15:00:00Z",
          "2026-01-06T09:00:00Z",
          "2026-01-07T09:00:00Z",
          "2026-01-09T09:00:00Z",
          "2026-01-10T09:00:00Z",
          "2026-01-10T20:00:00Z",
        ],
        [1, 1, 2, 3, 1, 2, 2],
        [1, 1, 2, 3, 3, 3, 3],
      ],
      [
        "across a year's end",
        ["2025-12-30T12:00:00Z", "2025-12-31T12:00:00Z", "2026-01-01T12:00:00Z"],
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        "across Oslo's 23-hour spring-forward day",
        ["2025-03-29T12:00:00Z", "2025-03-30T12:00:00Z", "2025-03-31T12:00:00Z"],
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        "across Oslo's 25-hour fall-back day",
        ["2025-10-25T21:30:00Z", "2025-10-26T22:30:00Z", "2025-10-27T08:00:00Z"],
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        "a gap of a week restarts, and the longest run stays",
        ["2026-02-01T12:00:00Z", "2026-02-02T12:00:00Z", "2026-02-09T12:00:00Z"],
        [1, 2, 1],
        [1, 2, 2],
      ],
    ])("%s", (_name, instants, current, longest) => {
      const events = instants.map((iso) => ev("activity_logged", iso));
      expect(valuesOf(dayStreak("current_streak"), events, OSLO)).toEqual(current);
      expect(valuesOf(dayStreak("longest_streak"), events, OSLO)).toEqual(longest);
    });

    it("counts days in the organization's zone, not in UTC", () => {
      // 10:00 UTC and 23:30 UTC on January 1st: one UTC day, but January 1st and 2nd in Oslo.
      const events = [
        ev("activity_logged", "2026-01-01T10:00:00Z"),
        ev("activity_logged", "2026-01-01T23:30:00Z"),
      ];
      expect(valuesOf(dayStreak("current_streak"), events, OSLO)).toEqual([1, 2]);
      expect(valuesOf(dayStreak("current_streak"), events, "UTC")).toEqual([1, 1]);
      // 23:30 UTC on the 1st and 00:30 UTC on the 3rd: a gap in UTC, consecutive days in New York.
      const west = [
        ev("activity_logged", "2026-01-01T23:30:00Z"),
        ev("activity_logged", "2026-01-03T00:30:00Z"),
      ];
      expect(valuesOf(dayStreak("current_streak"), west, "America/New_York")).toEqual([1, 2]);
      expect(valuesOf(dayStreak("current_streak"), west, "UTC")).toEqual([1, 1]);
    });

    it("is not broken by reset event types (those are for streaks of events)", () => {
      const m = { ...dayStreak("current_streak"), resetEventTypes: ["activity_missed"] };
      const events = [
        ev("activity_logged", "2026-01-01T12:00:00Z"),
        ev("activity_missed", "2026-01-02T08:00:00Z"),
        ev("activity_logged", "2026-01-02T12:00:00Z"),
      ];
      expect(valuesOf(m, events, OSLO)).toEqual([1, 1, 2]);
    });

    it("asks to recompute when an event falls on an earlier local day than the last", () => {
      const m = dayStreak("longest_streak");
      const [state] = stepAll(m, [ev("activity_logged", "2026-01-05T00:30:00Z")], OSLO);
      expect(step(m, state!, ev("activity_logged", "2026-01-04T22:59:00Z"), { timeZone: OSLO })).toEqual({
        kind: "recompute",
      });
    });

    it("applies an earlier event on the same local day without recomputing", () => {
      const m = dayStreak("current_streak");
      const states = stepAll(
        m,
        [ev("activity_logged", "2026-01-04T12:00:00Z"), ev("activity_logged", "2026-01-05T20:00:00Z")],
        OSLO,
      );
      // 23:10 UTC on the 4th is 00:10 on the 5th in Oslo.
      const result = step(m, states[1]!, ev("activity_logged", "2026-01-04T23:10:00Z"), { timeZone: OSLO });
      expect(nextOf(result).value).toBe(2);
    });
  });

  describe("out-of-order events that need no recompute", () => {
    it.each(["count", "sum", "max", "latest", "boolean", "distinct"] as const)(
      "%s applies in place",
      (aggregation) => {
        const m = metric({ aggregation, distinctAttribute: aggregation === "distinct" ? "k" : null });
        const current: MetricState = { value: 1, state: { lastAt: "2026-06-01T00:00:00.000Z" } };
        const result = step(m, current, ev("e", "2026-01-01T00:00:00Z", 1, { k: "x" }), {
          timeZone: "UTC",
          newMember: true,
        });
        expect(result.kind).toBe("next");
      },
    );
  });
});

describe("fold", () => {
  it("is the empty metric over no events", () => {
    for (const aggregation of ["count", "sum", "max", "latest", "boolean", "distinct"] as const) {
      expect(fold(metric({ aggregation }), [], "UTC")).toEqual(EMPTY_METRIC);
    }
  });

  it("applies events in time order, whatever order it is given them in, without reordering the input", () => {
    const m = metric({
      aggregation: "current_streak",
      eventTypes: ["match_won"],
      resetEventTypes: ["match_lost"],
      streakUnit: "events",
    });
    const events = [
      ev("match_won", "2026-01-03T10:00:00Z"),
      ev("match_lost", "2026-01-02T10:00:00Z"),
      ev("match_won", "2026-01-01T10:00:00Z"),
      ev("match_won", "2026-01-04T10:00:00Z"),
    ];
    const given = [...events];
    expect(fold(m, events, "UTC").value).toBe(2);
    expect(events).toEqual(given);
    const latest = metric({ aggregation: "latest" });
    expect(
      fold(latest, [ev("e", "2026-01-02T00:00:00Z", 8), ev("e", "2026-01-01T00:00:00Z", 3)], "UTC").value,
    ).toBe(8);
  });

  it("counts the longest run of local days", () => {
    const m = metric({ aggregation: "longest_streak", eventTypes: ["activity_logged"], streakUnit: "days" });
    const events = ["2026-01-10", "2026-01-01", "2026-01-03", "2026-01-02", "2026-01-11", "2026-01-02"].map(
      (d) => ev("activity_logged", `${d}T12:00:00Z`),
    );
    expect(fold(m, events, OSLO).value).toBe(3);
  });
});

function randomEvents(random: () => number, n: number): MetricEvent[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const base = Date.parse("2026-03-20T00:00:00Z");
  const events: MetricEvent[] = [];
  for (let i = 0; i < n; i++) {
    // Some events share an instant with an earlier one; the rest spread over three weeks around Oslo's DST change.
    const t =
      events.length > 0 && random() < 0.15
        ? pick(events).occurredAt.getTime()
        : base + Math.floor(random() * 21 * 24) * 3_600_000 + Math.floor(random() * 60) * 60_000;
    const attributes: Record<string, unknown> = {};
    if (random() < 0.8) attributes.kind = pick(["home_visit", "phone_call"]);
    if (random() < 0.85) attributes.contact = pick(["c1", "c2", "c3", "c4", "c5", ""]);
    events.push({
      type: pick(["a", "a", "a", "r", "n"]),
      value: random() < 0.15 ? null : Math.round((random() * 30 - 10) * 4) / 4,
      attributes,
      occurredAt: new Date(t),
    });
  }
  return events;
}

describe("step agrees with fold", () => {
  const variants: [string, MetricDefinition][] = [];
  for (const filter of [{}, { kind: "home_visit" }] as Record<string, Scalar>[]) {
    const base = { eventTypes: ["a"], resetEventTypes: ["r"], filter };
    const label = Object.keys(filter).length ? " (filtered)" : "";
    for (const aggregation of ["count", "sum", "max", "latest", "boolean"] as const) {
      variants.push([`${aggregation}${label}`, metric({ ...base, aggregation })]);
    }
    variants.push([
      `distinct${label}`,
      metric({ ...base, aggregation: "distinct", distinctAttribute: "contact" }),
    ]);
    for (const aggregation of ["current_streak", "longest_streak"] as const) {
      for (const streakUnit of ["events", "days"] as const) {
        variants.push([
          `${aggregation} of ${streakUnit}${label}`,
          metric({ ...base, aggregation, streakUnit }),
        ]);
      }
    }
  }
  const seeds = Array.from({ length: 25 }, (_, i) => 1000 + i * 7919);

  it.each(variants)("%s, in time order", (_name, m) => {
    for (const seed of seeds) {
      const random = prng(seed);
      const events = randomEvents(random, 5 + Math.floor(random() * 40));
      const ordered = [...events].sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime());
      const states = stepAll(m, ordered, OSLO);
      expect(states.at(-1) ?? EMPTY_METRIC, `seed ${seed}`).toEqual(fold(m, events, OSLO));
    }
  });

  it.each(variants)("%s, in arrival order, recomputing when asked", (_name, m) => {
    for (const seed of seeds) {
      const random = prng(seed);
      const events = randomEvents(random, 5 + Math.floor(random() * 40));
      const members = new Set<string>();
      const seen: MetricEvent[] = [];
      let current = EMPTY_METRIC;
      for (const event of events) {
        seen.push(event);
        const member = distinctMember(m, event);
        const newMember = member !== null && effectOn(m, event) === "feed" && !members.has(member);
        if (newMember) members.add(member);
        const result = step(m, current, event, { timeZone: OSLO, newMember });
        current = result.kind === "next" ? result.next : fold(m, seen, OSLO);
        expect(current.value, `seed ${seed}, after ${seen.length} events`).toBe(fold(m, seen, OSLO).value);
      }
    }
  });

  it("exercises both recomputes and in-place steps for streaks", () => {
    const m = metric({
      aggregation: "current_streak",
      eventTypes: ["a"],
      resetEventTypes: ["r"],
      streakUnit: "days",
    });
    let recomputes = 0;
    let steps = 0;
    for (const seed of seeds) {
      const random = prng(seed);
      let current = EMPTY_METRIC;
      const seen: MetricEvent[] = [];
      for (const event of randomEvents(random, 20)) {
        seen.push(event);
        const result = step(m, current, event, { timeZone: OSLO });
        if (result.kind === "recompute") recomputes++;
        else steps++;
        current = result.kind === "next" ? result.next : fold(m, seen, OSLO);
      }
    }
    expect(recomputes).toBeGreaterThan(10);
    expect(steps).toBeGreaterThan(10);
  });
});
