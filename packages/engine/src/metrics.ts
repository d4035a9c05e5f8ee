import { daysBetween, localDayKey, type MetricWindow } from "./calendar.js";

export type MetricAggregation =
  "count" | "sum" | "max" | "latest" | "distinct" | "current_streak" | "longest_streak" | "boolean";

export type Scalar = string | number | boolean;

export type MetricDefinition = {
  aggregation: MetricAggregation;
  eventTypes: readonly string[];
  resetEventTypes: readonly string[];
  filter: Readonly<Record<string, Scalar>>;
  distinctAttribute: string | null;
  window: MetricWindow;
  streakUnit: "events" | "days" | null;
};

export type MetricEvent = {
  type: string;
  value: number | null;
  attributes: Readonly<Record<string, unknown>>;
  occurredAt: Date;
};

/** What a metric keeps per user and window: its value, and what the next event needs to know. */
export type MetricState = {
  value: number;
  state: { lastAt?: string; lastDay?: string; run?: number; best?: number };
};

export const EMPTY_METRIC: MetricState = { value: 0, state: {} };

export function matchesFilter(
  filter: Readonly<Record<string, Scalar>>,
  attributes: Readonly<Record<string, unknown>>,
) {
  return Object.entries(filter).every(([key, expected]) => attributes[key] === expected);
}

/** How an event touches a metric: it feeds it, it breaks its streak, or nothing. */
export function effectOn(
  metric: MetricDefinition,
  event: Pick<MetricEvent, "type" | "attributes">,
): "feed" | "reset" | null {
  if (metric.eventTypes.includes(event.type) && matchesFilter(metric.filter, event.attributes)) return "feed";
  if (metric.resetEventTypes.includes(event.type)) return "reset";
  return null;
}

/** The member a `distinct` metric counts for an event (e.g. the contact helped), if any. */
export function distinctMember(
  metric: MetricDefinition,
  event: Pick<MetricEvent, "attributes">,
): string | null {
  if (metric.aggregation !== "distinct" || !metric.distinctAttribute) return null;
  const member = event.attributes[metric.distinctAttribute];
  return member === undefined || member === null || member === "" ? null : String(member);
}

export type Step = { kind: "next"; next: MetricState } | { kind: "recompute" };

/**
 * One event applied to a metric's current state: constant work, whatever the history. An event older
 * than what a streak or latest value has already seen cannot be applied in order; then the caller
 * recomputes that one window from the user's events (`fold`).
 */
export function step(
  metric: MetricDefinition,
  current: MetricState,
  event: MetricEvent,
  context: { timeZone: string; newMember?: boolean },
): Step {
  const effect = effectOn(metric, event);
  if (!effect) return { kind: "next", next: current };
  const { value, state } = current;
  const at = event.occurredAt.toISOString();
  const eventValue = event.value ?? 0;
  const next = (v: number, s: MetricState["state"] = state): Step => ({
    kind: "next",
    next: { value: v, state: s },
  });
  const isStreak = metric.aggregation === "current_streak" || metric.aggregation === "longest_streak";
  if (effect === "reset") {
    if (!isStreak || metric.streakUnit !== "events") return next(value);
    if (state.lastAt && at < state.lastAt) return { kind: "recompute" };
    const s = { ...state, run: 0, lastAt: at };
    return next(metric.aggregation === "current_streak" ? 0 : (state.best ?? 0), s);
  }
  switch (metric.aggregation) {
    case "count":
      return next(value + 1);
    case "sum":
      return next(value + eventValue);
    case "max":
      return next(state.lastAt === undefined ? eventValue : Math.max(value, eventValue), { lastAt: at });
    case "latest":
    case "boolean": {
      if (state.lastAt && at < state.lastAt) return next(value);
      const v =
        metric.aggregation === "latest" ? eventValue : event.value === null || event.value !== 0 ? 1 : 0;
      return next(v, { lastAt: at });
    }
    case "distinct":
      return next(context.newMember ? value + 1 : value);
    case "current_streak":
    case "longest_streak": {
      let run: number;
      let s: MetricState["state"];
      if (metric.streakUnit === "days") {
        const day = localDayKey(event.occurredAt, context.timeZone);
        const gap = state.lastDay ? daysBetween(state.lastDay, day) : null;
        if (gap !== null && gap < 0) return { kind: "recompute" };
        run = gap === null ? 1 : gap === 0 ? (state.run ?? 1) : gap === 1 ? (state.run ?? 0) + 1 : 1;
        s = { ...state, lastDay: day, run };
      } else {
        if (state.lastAt && at < state.lastAt) return { kind: "recompute" };
        run = (state.run ?? 0) + 1;
        s = { ...state, lastAt: at, run };
      }
      s.best = Math.max(state.best ?? 0, run);
      return next(metric.aggregation === "current_streak" ? run : s.best, s);
    }
  }
}

/** A metric computed from scratch over one window's events: the reference `step` must agree with. */
export function fold(
  metric: MetricDefinition,
  events: readonly MetricEvent[],
  timeZone: string,
): MetricState {
  return foldWithMembers(metric, events, timeZone).state;
}

/** As `fold`, with the members a `distinct` metric counted (only events that feed it count one). */
export function foldWithMembers(
  metric: MetricDefinition,
  events: readonly MetricEvent[],
  timeZone: string,
): { state: MetricState; members: Set<string> } {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const members = new Set<string>();
  let current = EMPTY_METRIC;
  for (const event of ordered) {
    const member = effectOn(metric, event) === "feed" ? distinctMember(metric, event) : null;
    const newMember = member !== null && !members.has(member);
    if (newMember) members.add(member);
    const result = step(metric, current, event, { timeZone, newMember });
    // In order, nothing needs recomputing.
    if (result.kind === "next") current = result.next;
  }
  return { state: current, members };
}
