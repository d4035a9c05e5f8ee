import { windowKey, windowRange } from "../calendar.js";
import {
  distinctMember,
  effectOn,
  EMPTY_METRIC,
  foldWithMembers,
  type MetricState,
  step,
} from "../metrics.js";
import type { ScoredMetric, ScoringEvent } from "./model.js";

/** A metric cell (one user's value of a metric in one window), keyed `metricId|windowKey`. */
export const cellId = (metricId: string, key: string) => `${metricId}|${key}`;
/** A member of a `distinct` metric's cell, keyed `metricId|windowKey|member`. */
export const memberKey = (metricId: string, key: string, member: string) =>
  `${cellId(metricId, key)}|${member}`;

/** The metrics of `metrics` that events of these types feed or reset. */
export function metricsFor<M extends ScoredMetric>(metrics: readonly M[], types: readonly string[]): M[] {
  return metrics.filter((m) => types.some((t) => m.eventTypes.includes(t) || m.resetEventTypes.includes(t)));
}

/** An event's effect on one metric cell; `member` is the member a `distinct` metric it feeds would count. */
export type Touch = { metric: ScoredMetric; windowKey: string; event: ScoringEvent; member: string | null };

/** The metric cells events touch, event by event, in their order. */
export function touchesOf(
  metrics: readonly ScoredMetric[],
  events: readonly ScoringEvent[],
  timeZone: string,
): Touch[] {
  const touches: Touch[] = [];
  for (const event of events) {
    for (const metric of metrics) {
      const effect = effectOn(metric, event);
      if (!effect) continue;
      const key = windowKey(metric.window, event.occurredAt, timeZone);
      touches.push({
        metric,
        windowKey: key,
        event,
        member: effect === "feed" ? distinctMember(metric, event) : null,
      });
    }
  }
  return touches;
}

/** The cells of `metrics` the events fall in (each event touching each metric once). */
export function cellsTouched(
  metrics: readonly ScoredMetric[],
  events: readonly ScoringEvent[],
  timeZone: string,
) {
  const cells = new Map<string, { metric: ScoredMetric; windowKey: string }>();
  for (const t of touchesOf(metrics, events, timeZone))
    cells.set(cellId(t.metric.id, t.windowKey), { metric: t.metric, windowKey: t.windowKey });
  return cells;
}

/**
 * One touch applied to a cell's state; `isNewMember` says, once per member, whether a `distinct` metric
 * has not counted it yet. "recompute": a late event a streak cannot take in order (its window must be
 * folded from history).
 */
export function stepTouch(
  touch: Touch,
  current: MetricState | undefined,
  isNewMember: (key: string) => boolean,
  timeZone: string,
) {
  return step(touch.metric, current ?? EMPTY_METRIC, touch.event, {
    timeZone,
    newMember:
      touch.member !== null && isNewMember(memberKey(touch.metric.id, touch.windowKey, touch.member)),
  });
}

/** Which of the events fall in a window of the metric (all of them for `all_time`). */
export function inWindow(metric: ScoredMetric, key: string, timeZone: string) {
  const range = windowRange(key, timeZone);
  return (e: ScoringEvent) => !range || (e.occurredAt >= range.start && e.occurredAt < range.end);
}

/**
 * A cell computed from the events of its window (history): its state and the members a `distinct`
 * metric counts. The one definition of a metric's effect and members, for every rebuild (a correction,
 * a late streak event, a metric's backfill) as for the event-by-event steps.
 */
export function rebuildCell(
  metric: ScoredMetric,
  events: readonly ScoringEvent[],
  timeZone: string,
): { state: MetricState; members: Set<string> } {
  return foldWithMembers(metric, events, timeZone);
}
