import { periodKey, windowKey } from "../calendar.js";
import { progressOf } from "../progress.js";
import { cellId } from "./cells.js";
import type { Cell, Judged, ProgressChange, ScoredAchievement, Standing } from "./model.js";

/** Cascades (a badge-count badge earned by earning a badge) stop here: deeper is a loop. */
export const MAX_CASCADE = 4;

/** The period an award of the achievement made at `at` falls in (`all` unless it repeats). */
export const periodOf = (a: Pick<ScoredAchievement, "repeatPeriod">, at: Date, timeZone: string) =>
  periodKey(a.repeatPeriod, at, timeZone);

export const standingId = (achievementId: string, periodKey: string) => `${achievementId}|${periodKey}`;

/** The metric cells achievements' rules read at an instant, keyed by `cellId`. */
export function ruleCells(entries: readonly Judged[], at: Date, timeZone: string): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const { rules } of entries) {
    for (const rule of rules) {
      const key = windowKey(rule.window, at, timeZone);
      cells.set(cellId(rule.metricId, key), { metricId: rule.metricId, windowKey: key });
    }
  }
  return cells;
}

/** An achievement's progress from metric values keyed by `cellId` (absent is 0). */
export function progressFor(
  entry: Judged,
  values: ReadonlyMap<string, { value: number }>,
  at: Date,
  timeZone: string,
) {
  return progressOf(
    entry.rules.map((rule) => ({
      comparator: rule.comparator,
      target: rule.target,
      weight: rule.weight,
      value: values.get(cellId(rule.metricId, windowKey(rule.window, at, timeZone)))?.value ?? 0,
    })),
  );
}

/**
 * Judges candidates against the metric values and the user's rows (keyed by `standingId`). Completed
 * achievements are skipped in their period; progress is reported only where it moved.
 */
export function judge<A extends ScoredAchievement>(
  candidates: readonly Judged<A>[],
  stored: ReadonlyMap<string, Standing>,
  values: ReadonlyMap<string, { value: number }>,
  at: Date,
  timeZone: string,
) {
  const progress: ProgressChange[] = [];
  const completions: { achievement: A; periodKey: string }[] = [];
  for (const entry of candidates) {
    const period = periodOf(entry.achievement, at, timeZone);
    const row = stored.get(standingId(entry.achievement.id, period));
    if (row?.completedAt || entry.rules.length === 0) continue;
    const result = progressFor(entry, values, at, timeZone);
    if (result.completed) completions.push({ achievement: entry.achievement, periodKey: period });
    else if ((row?.progress ?? -1) !== result.progress) {
      progress.push({
        achievementId: entry.achievement.id,
        periodKey: period,
        progress: result.progress,
        completed: false,
      });
    }
  }
  return { progress, completions };
}
