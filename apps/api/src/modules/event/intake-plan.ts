import { type MetricState, SYSTEM_EVENTS, windowKey } from "@laurel/engine";
import type { Catalog } from "../achievement/catalog.js";
import {
  type AchievementRow,
  type AchievementWithRules,
  candidatesIn,
  earnedEventOf,
  type Grant,
  judge,
  MAX_CASCADE,
  periodOf,
  standingId,
  type ProgressChange,
  type Standing,
} from "../achievement/evaluation.service.js";
import {
  cellId,
  changedMetrics,
  memberId,
  metricsFor,
  type StoredEvent,
  stepTouches,
  touchesOf,
} from "../metric/metric-values.js";

/**
 * The intake of one event as a plan: everything it could read, worked out from the event and the cached
 * catalog (`needsOf`); then, from what that read found, everything it writes (`planIntake`). Both pure:
 * intake-sql.ts does the one read and the one write, and `applyEvents`/`evaluate`/`awardAll` (the path
 * under the user's lock) are built from the same steps, so the two agree (intake-paths.test.ts).
 */

export type Needs = {
  /** Metric cells, keyed `metricId|windowKey`. */
  cells: Map<string, { metricId: string; windowKey: string }>;
  /** Members of distinct metrics, keyed `metricId|windowKey|member`. */
  members: Map<string, { metricId: string; windowKey: string; member: string }>;
  /** The user's rows of achievements, keyed `achievementId|periodKey`. */
  standing: Map<string, { achievementId: string; periodKey: string }>;
};

/** What the read found: absent cells are empty, absent members new, absent rows not started. */
export type Snapshot = {
  cells: Map<string, MetricState>;
  members: Set<string>;
  standing: Map<string, Standing>;
};

/**
 * Everything judging `event` could read: the cells of the metrics it touches; the rows and rule cells of
 * the achievements those could complete; and, since an award is an `achievement_earned` event, the
 * same for what the badge and point metrics could complete in turn (one more step reaches nothing new:
 * those metrics are the same at every depth).
 */
export const emptyNeeds = (): Needs => ({ cells: new Map(), members: new Map(), standing: new Map() });

export function needsOf(catalog: Catalog, timeZone: string, event: StoredEvent, now: Date): Needs {
  const needs = emptyNeeds();
  const at = event.occurredAt;
  const touch = (metrics: Catalog["metrics"], events: readonly StoredEvent[]) => {
    for (const t of touchesOf(metrics, events, timeZone)) {
      const { metric } = t.cell;
      needs.cells.set(cellId(metric.id, t.cell.windowKey), {
        metricId: metric.id,
        windowKey: t.cell.windowKey,
      });
      if (t.member !== null)
        needs.members.set(memberId(t.cell, t.member), {
          metricId: metric.id,
          windowKey: t.cell.windowKey,
          member: t.member,
        });
    }
  };
  const judged = (entries: readonly AchievementWithRules[]) => {
    for (const { achievement, rules } of entries) {
      const period = periodOf(achievement, at, timeZone);
      needs.standing.set(standingId(achievement.id, period), {
        achievementId: achievement.id,
        periodKey: period,
      });
      for (const rule of rules) {
        const key = windowKey(rule.window, at, timeZone);
        needs.cells.set(cellId(rule.metricId, key), { metricId: rule.metricId, windowKey: key });
      }
    }
  };

  const direct = metricsFor(catalog.metrics, [event.type]);
  touch(direct, [event]);
  const first = candidatesIn(catalog, new Set(direct.map((m) => m.id)), now);
  if (first.length === 0) return needs;
  const earnedMetrics = metricsFor(catalog.metrics, [SYSTEM_EVENTS.achievementEarned]);
  const cascade = candidatesIn(catalog, new Set(earnedMetrics.map((m) => m.id)), now);
  const all = [...new Map([...first, ...cascade].map((e) => [e.achievement.id, e])).values()];
  judged(all);
  touch(
    earnedMetrics,
    all.map((e) => ({ id: "", ...earnedEventOf(e.achievement, at) })),
  );
  return needs;
}

/** A row of `user_achievements` to upsert: progress, or an award when `completed`. */
export type PlannedRow = {
  achievementId: string;
  periodKey: string;
  progress: number;
  completed: boolean;
  /** The row was read: it is updated, not inserted. */
  stored: boolean;
};

export type Plan = {
  /** `stored`: the cell was read, and is updated rather than inserted. */
  cells: { metricId: string; windowKey: string; state: MetricState; stored: boolean }[];
  members: { metricId: string; windowKey: string; member: string }[];
  rows: PlannedRow[];
  /** The awards, in the order they are made (the cascade's after the ones that caused them). */
  awards: { achievement: AchievementRow; periodKey: string; grants: readonly Grant[] }[];
  /** As `evaluate` reports it: the first judgement's progress, then every award as completed. */
  progress: ProgressChange[];
};

/**
 * The event's effect, worked out in memory from what was read: metric steps, judgement, awards and the
 * cascade they start, as `applyEvents`, `evaluate` and `awardAll` do it statement by statement. Null
 * when the plan needs what was not read (a late event that makes a streak recompute a window from
 * history): then the event goes down the path under the lock.
 */
export function planIntake(
  catalog: Catalog,
  timeZone: string,
  event: StoredEvent,
  needs: Needs,
  snapshot: Snapshot,
  now: Date,
): Plan | null {
  const at = event.occurredAt;
  const cells = new Map(snapshot.cells);
  const standing = new Map(snapshot.standing);
  const counted = new Set(snapshot.members);
  const written = new Map<string, Plan["cells"][number]>();
  const members: Plan["members"] = [];
  const rows = new Map<string, PlannedRow>();
  const plan: Plan = { cells: [], members, rows: [], awards: [], progress: [] };

  const apply = (events: readonly StoredEvent[]): Set<string> | null => {
    const types = [...new Set(events.map((e) => e.type))];
    const touches = touchesOf(metricsFor(catalog.metrics, types), events, timeZone);
    for (const t of touches) {
      if (!needs.cells.has(cellId(t.cell.metric.id, t.cell.windowKey))) return null;
      if (t.member !== null && !needs.members.has(memberId(t.cell, t.member))) return null;
    }
    const isNew = (id: string) => {
      if (counted.has(id)) return false;
      counted.add(id);
      const [metricId, key, ...member] = id.split("|");
      members.push({ metricId: metricId!, windowKey: key!, member: member.join("|") });
      return true;
    };
    const { next, recompute } = stepTouches(touches, cells, isNew, timeZone);
    if (recompute.size > 0) return null;
    const changed = changedMetrics(next, cells);
    for (const [id, { cell, state }] of next) {
      cells.set(id, state);
      written.set(id, {
        metricId: cell.metric.id,
        windowKey: cell.windowKey,
        state,
        stored: snapshot.cells.has(id),
      });
    }
    return changed;
  };

  let changed = apply([event]);
  for (let depth = 0; changed && changed.size > 0; depth++) {
    const candidates = candidatesIn(catalog, changed, now);
    for (const { achievement, rules } of candidates) {
      if (!needs.standing.has(standingId(achievement.id, periodOf(achievement, at, timeZone)))) return null;
      for (const rule of rules)
        if (!needs.cells.has(cellId(rule.metricId, windowKey(rule.window, at, timeZone)))) return null;
    }
    const { progress, completions } = judge(candidates, standing, cells, at, timeZone);
    if (depth === 0) plan.progress.push(...progress);
    for (const p of progress) {
      const key = standingId(p.achievementId, p.periodKey);
      rows.set(key, {
        achievementId: p.achievementId,
        periodKey: p.periodKey,
        progress: p.progress,
        completed: false,
        stored: snapshot.standing.has(key),
      });
      standing.set(key, { progress: p.progress, completedAt: false });
    }
    for (const { achievement, periodKey } of completions) {
      const key = standingId(achievement.id, periodKey);
      rows.set(key, {
        achievementId: achievement.id,
        periodKey,
        progress: 100,
        completed: true,
        stored: snapshot.standing.has(key),
      });
      standing.set(key, { progress: 100, completedAt: true });
      plan.awards.push({ achievement, periodKey, grants: catalog.rewards.get(achievement.id) ?? [] });
    }
    if (completions.length === 0) break;
    changed = apply(completions.map(({ achievement }) => ({ id: "", ...earnedEventOf(achievement, at) })));
    if (changed === null) return null;
    if (depth >= MAX_CASCADE) break;
  }
  if (changed === null) return null;
  for (const award of plan.awards)
    plan.progress.push({
      achievementId: award.achievement.id,
      periodKey: award.periodKey,
      progress: 100,
      completed: true,
    });
  plan.cells = [...written.values()];
  plan.rows = [...rows.values()];
  return plan;
}
