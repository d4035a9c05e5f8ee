import { windowKey, windowRange } from "../calendar.js";
import { SYSTEM_EVENTS } from "../catalog.js";
import type { MetricState } from "../metrics.js";
import { type Catalog, candidatesIn } from "./catalog.js";
import { cellId, memberKey, metricsFor, rebuildCell, stepTouch, touchesOf } from "./cells.js";
import { judge, MAX_CASCADE, periodOf, ruleCells, standingId } from "./judge.js";
import type {
  Cell,
  Grant,
  Judged,
  ProgressChange,
  ScoredAchievement,
  ScoredMetric,
  ScoringEvent,
  Standing,
} from "./model.js";
import { earnedEventOf } from "./outcomes.js";

/**
 * Every change to a user's standing, planned in memory: what it must read (`needsOf`), then from what
 * that read found, everything it writes (`planScoring`). The scoring layer does the one read and the one
 * write around these, whoever asks (an event, an activity and its corrections, a grant, a backfill, the
 * annual badges), and whatever guards the write (the user's lock, or their lock version).
 */

/** What a change asks of a user's standing. Every field is optional but `at`. */
export type Intent<A extends ScoredAchievement = ScoredAchievement> = {
  /** The instant metric windows and award periods are taken at (the event's, for an event). */
  at: Date;
  /** New events to count; stored by the write. */
  events?: readonly ScoringEvent[];
  /** Events withdrawn (already marked so): the windows they fell in are rebuilt from history. */
  retracted?: readonly ScoringEvent[];
  /** Metrics rebuilt from history in every window (a metric's backfill). */
  rebuild?: readonly ScoredMetric[];
  /** Achievements awarded whatever their rules (a manual grant, the annual badge). */
  grants?: readonly { achievement: A; periodKey: string; grantedById: string | null }[];
  /** Achievements judged whatever changed (an achievement's backfill); rows stay unwritten at 0 %. */
  judge?: readonly Judged<A>[];
  /** False: metrics only, nothing judged (a metric's backfill, whose readers are backfilled after). */
  evaluate?: boolean;
};

/** A metric's windows rebuilt from the user's events: one window, or every window (`windowKey` null). */
export type HistoryNeed = {
  metric: ScoredMetric;
  windowKey: string | null;
  /** The event types to read, and the instants they fall between (null: all time). */
  types: readonly string[];
  range: { start: Date; end: Date } | null;
};

export type Needs = {
  /** Metric cells, keyed by `cellId`. */
  cells: Map<string, Cell>;
  /** Members of distinct metrics, keyed by `memberKey`. */
  members: Map<string, Cell & { member: string }>;
  /** The user's rows of achievements, keyed by `standingId`. */
  standing: Map<string, { achievementId: string; periodKey: string }>;
  /** Windows rebuilt from history, keyed by `historyId`: their events, cells and members are read. */
  history: Map<string, HistoryNeed>;
};

/** What the read found: absent cells are empty, absent members new, absent rows not started. */
export type Snapshot = {
  cells: Map<string, MetricState>;
  members: Set<string>;
  standing: Map<string, Standing>;
  /** The events of each history need, by `historyId`. */
  history: Map<string, ScoringEvent[]>;
};

export const historyId = (metricId: string, key: string | null) => `${metricId}|${key ?? "*"}`;

export const emptyNeeds = (): Needs => ({
  cells: new Map(),
  members: new Map(),
  standing: new Map(),
  history: new Map(),
});

export const emptySnapshot = (): Snapshot => ({
  cells: new Map(),
  members: new Set(),
  standing: new Map(),
  history: new Map(),
});

const sizeOf = (n: Needs) => n.cells.size + n.members.size + n.standing.size + n.history.size;

/** Both lists of needs in one. */
export function mergeNeeds(a: Needs, b: Needs): Needs {
  return {
    cells: new Map([...a.cells, ...b.cells]),
    members: new Map([...a.members, ...b.members]),
    standing: new Map([...a.standing, ...b.standing]),
    history: new Map([...a.history, ...b.history]),
  };
}

function historyNeed(metric: ScoredMetric, key: string | null, timeZone: string): HistoryNeed {
  return {
    metric,
    windowKey: key,
    types: [...new Set([...metric.eventTypes, ...metric.resetEventTypes])],
    range: key === null ? null : windowRange(key, timeZone),
  };
}

/** The achievements an intent judges first: what its metrics' changes could complete, and what it names. */
function firstCandidates<A extends ScoredAchievement>(
  catalog: Catalog<A>,
  metricIds: ReadonlySet<string>,
  intent: Intent<A>,
  now: Date,
) {
  const named = intent.judge ?? [];
  const seen = new Set(named.map((e) => e.achievement.id));
  return [...named, ...candidatesIn(catalog, metricIds, now).filter((e) => !seen.has(e.achievement.id))];
}

/**
 * Everything planning `intent` could read: the cells of the metrics its events touch (and the windows
 * it rebuilds); the rows and rule cells of the achievements those could complete or it names; and, since
 * an award is an `achievement_earned` event, the same for what the badge and point metrics could
 * complete in turn (one more step reaches nothing new: those metrics are the same at every depth). The
 * planner asks for anything missed, so this is the first read's list, not a promise.
 */
export function needsOf<A extends ScoredAchievement>(
  catalog: Catalog<A>,
  timeZone: string,
  intent: Intent<A>,
  now: Date,
): Needs {
  const needs = emptyNeeds();
  const touch = (metrics: readonly ScoredMetric[], events: readonly ScoringEvent[]) => {
    for (const t of touchesOf(metrics, events, timeZone)) {
      needs.cells.set(cellId(t.metric.id, t.windowKey), { metricId: t.metric.id, windowKey: t.windowKey });
      if (t.member !== null)
        needs.members.set(memberKey(t.metric.id, t.windowKey, t.member), {
          metricId: t.metric.id,
          windowKey: t.windowKey,
          member: t.member,
        });
    }
  };
  const events = intent.events ?? [];
  const direct = metricsFor(
    catalog.metrics,
    events.map((e) => e.type),
  );
  touch(direct, events);
  const changed = new Set(direct.map((m) => m.id));
  const retracted = intent.retracted ?? [];
  const withdrawn = metricsFor(
    catalog.metrics,
    retracted.map((e) => e.type),
  );
  for (const t of touchesOf(withdrawn, retracted, timeZone)) {
    needs.history.set(historyId(t.metric.id, t.windowKey), historyNeed(t.metric, t.windowKey, timeZone));
    changed.add(t.metric.id);
  }
  for (const metric of intent.rebuild ?? []) {
    needs.history.set(historyId(metric.id, null), historyNeed(metric, null, timeZone));
    changed.add(metric.id);
  }
  if (intent.evaluate === false) return needs;

  const first = firstCandidates(catalog, changed, intent, now);
  const grants = intent.grants ?? [];
  if (first.length === 0 && grants.length === 0) return needs;
  const earnedMetrics = metricsFor(catalog.metrics, [SYSTEM_EVENTS.achievementEarned]);
  const cascade = candidatesIn(catalog, new Set(earnedMetrics.map((m) => m.id)), now);
  const all = [...new Map([...first, ...cascade].map((e) => [e.achievement.id, e])).values()];
  for (const { achievement } of all) {
    const period = periodOf(achievement, intent.at, timeZone);
    needs.standing.set(standingId(achievement.id, period), { achievementId: achievement.id, periodKey: period });
  }
  for (const [id, cell] of ruleCells(all, intent.at, timeZone)) needs.cells.set(id, cell);
  for (const { achievement, periodKey } of grants)
    needs.standing.set(standingId(achievement.id, periodKey), { achievementId: achievement.id, periodKey });
  touch(
    earnedMetrics,
    [...all.map((e) => e.achievement), ...grants.map((g) => g.achievement)].map((a) => earnedEventOf(a, intent.at)),
  );
  return needs;
}

/** A row of `user_achievements` to write: progress, or an award when `completed`. */
export type PlannedRow = {
  achievementId: string;
  periodKey: string;
  progress: number;
  completed: boolean;
  /** The row was read: it is updated, not inserted. */
  stored: boolean;
};
export type PlannedCell = Cell & { state: MetricState; stored: boolean };
export type PlannedMember = Cell & { member: string };
export type PlannedAward<A extends ScoredAchievement = ScoredAchievement> = {
  achievement: A;
  periodKey: string;
  grants: readonly Grant[];
  grantedById: string | null;
};

export type Plan<A extends ScoredAchievement = ScoredAchievement> = {
  cells: PlannedCell[];
  membersAdded: PlannedMember[];
  membersRemoved: PlannedMember[];
  rows: PlannedRow[];
  /** The awards, in the order they are made (the cascade's after the ones that caused them). */
  awards: PlannedAward<A>[];
  /** The first judgement's progress, then every award as completed. */
  progress: ProgressChange[];
};

/** A plan, or what must be read first for one (more than the read found: a late streak event's history). */
export type Planned<A extends ScoredAchievement = ScoredAchievement> =
  | { kind: "plan"; plan: Plan<A> }
  | { kind: "read"; needs: Needs };

type Rebuilt = { metric: ScoredMetric; windowKey: string; events: ScoringEvent[]; dirty: boolean };

/** The stored members of the snapshot, by cell (`metricId|windowKey|member` split at its second bar). */
function membersByCell(members: ReadonlySet<string>, cells: ReadonlyMap<string, Rebuilt>) {
  const found = new Map<string, Set<string>>();
  for (const key of members) {
    const bar = key.indexOf("|", key.indexOf("|") + 1);
    const cell = key.slice(0, bar);
    if (!cells.has(cell)) continue;
    let set = found.get(cell);
    if (!set) found.set(cell, (set = new Set()));
    set.add(key.slice(bar + 1));
  }
  return found;
}

/**
 * The intent's effect, worked out from what was read: metric steps (and windows rebuilt from history),
 * judgement, awards and the cascade they start. When the plan needs what was not read, it says what.
 */
export function planScoring<A extends ScoredAchievement>(
  catalog: Catalog<A>,
  timeZone: string,
  intent: Intent<A>,
  needs: Needs,
  snapshot: Snapshot,
  now: Date,
): Planned<A> {
  const at = intent.at;
  const more = emptyNeeds();
  const cells = new Map(snapshot.cells);
  const standing = new Map(snapshot.standing);
  const counted = new Set(snapshot.members);
  const written = new Map<string, PlannedCell>();
  const added = new Map<string, PlannedMember>();
  const removed = new Map<string, PlannedMember>();
  const rows = new Map<string, PlannedRow>();
  const plan: Plan<A> = { cells: [], membersAdded: [], membersRemoved: [], rows: [], awards: [], progress: [] };

  // Windows rebuilt from history: each history need's events, by window (with the stored windows of a
  // whole metric that no event falls in any more, which rebuild empty).
  const rebuilt = new Map<string, Rebuilt>();
  for (const [id, need] of needs.history) {
    const byWindow = new Map<string, ScoringEvent[]>();
    if (need.windowKey !== null) byWindow.set(need.windowKey, []);
    else
      for (const key of snapshot.cells.keys())
        if (key.startsWith(`${need.metric.id}|`)) byWindow.set(key.slice(need.metric.id.length + 1), []);
    for (const event of snapshot.history.get(id) ?? []) {
      const key = need.windowKey ?? windowKey(need.metric.window, event.occurredAt, timeZone);
      if (!byWindow.has(key)) byWindow.set(key, []);
      byWindow.get(key)!.push(event);
    }
    for (const [key, events] of byWindow)
      rebuilt.set(cellId(need.metric.id, key), { metric: need.metric, windowKey: key, events, dirty: true });
  }
  const storedMembers = membersByCell(snapshot.members, rebuilt);

  const setCell = (metricId: string, key: string, state: MetricState, changed: Set<string>) => {
    const id = cellId(metricId, key);
    if ((cells.get(id)?.value ?? 0) !== state.value) changed.add(metricId);
    cells.set(id, state);
    written.set(id, { metricId, windowKey: key, state, stored: snapshot.cells.has(id) });
  };
  const refold = (changed: Set<string>) => {
    for (const [id, cell] of rebuilt) {
      if (!cell.dirty) continue;
      cell.dirty = false;
      const { state, members } = rebuildCell(cell.metric, cell.events, timeZone);
      setCell(cell.metric.id, cell.windowKey, state, changed);
      const before = storedMembers.get(id) ?? new Set<string>();
      for (const member of members) {
        const key = memberKey(cell.metric.id, cell.windowKey, member);
        counted.add(key);
        removed.delete(key);
        if (!before.has(member)) added.set(key, { metricId: cell.metric.id, windowKey: cell.windowKey, member });
      }
      for (const member of before) {
        if (members.has(member)) continue;
        const key = memberKey(cell.metric.id, cell.windowKey, member);
        counted.delete(key);
        added.delete(key);
        removed.set(key, { metricId: cell.metric.id, windowKey: cell.windowKey, member });
      }
    }
  };
  const isNew = (key: string) => {
    if (counted.has(key)) return false;
    counted.add(key);
    const [metricId, windowKey, ...member] = key.split("|");
    added.set(key, { metricId: metricId!, windowKey: windowKey!, member: member.join("|") });
    return true;
  };
  /** New events stepped into their cells; the metrics whose value moved. */
  const apply = (events: readonly ScoringEvent[]): Set<string> => {
    const changed = new Set<string>();
    const touches = touchesOf(
      metricsFor(
        catalog.metrics,
        events.map((e) => e.type),
      ),
      events,
      timeZone,
    );
    for (const t of touches) {
      const id = cellId(t.metric.id, t.windowKey);
      const cell = rebuilt.get(id);
      if (cell) {
        cell.events.push(t.event);
        cell.dirty = true;
        continue;
      }
      // Only a touch of what was not read is skipped: the others still step, so every late streak
      // window the events fall in is asked for in one more read, not one read each.
      let unread = !needs.cells.has(id);
      if (unread) more.cells.set(id, { metricId: t.metric.id, windowKey: t.windowKey });
      if (t.member !== null) {
        const key = memberKey(t.metric.id, t.windowKey, t.member);
        if (!needs.members.has(key)) {
          unread = true;
          more.members.set(key, { metricId: t.metric.id, windowKey: t.windowKey, member: t.member });
        }
      }
      if (unread) continue;
      const result = stepTouch(t, cells.get(id), isNew, timeZone);
      if (result.kind === "recompute")
        more.history.set(historyId(t.metric.id, t.windowKey), historyNeed(t.metric, t.windowKey, timeZone));
      else setCell(t.metric.id, t.windowKey, result.next, changed);
    }
    refold(changed);
    return changed;
  };

  const initial = new Set<string>();
  refold(initial);
  let changed = apply(intent.events ?? []);
  for (const id of initial) changed.add(id);
  if (sizeOf(more) > 0) return { kind: "read", needs: mergeNeeds(needs, more) };

  if (intent.evaluate !== false) {
    const named = new Set((intent.judge ?? []).map((e) => e.achievement.id));
    for (let depth = 0; ; depth++) {
      const candidates =
        depth === 0 ? firstCandidates(catalog, changed, intent, now) : candidatesIn(catalog, changed, now);
      const grants = depth === 0 ? (intent.grants ?? []) : [];
      if (candidates.length === 0 && grants.length === 0) break;
      for (const { achievement, periodKey } of [
        ...candidates.map((e) => ({ achievement: e.achievement, periodKey: periodOf(e.achievement, at, timeZone) })),
        ...grants,
      ]) {
        const key = standingId(achievement.id, periodKey);
        if (!needs.standing.has(key)) more.standing.set(key, { achievementId: achievement.id, periodKey });
      }
      for (const [id, cell] of ruleCells(candidates, at, timeZone))
        if (!needs.cells.has(id) && !rebuilt.has(id)) more.cells.set(id, cell);
      if (sizeOf(more) > 0) return { kind: "read", needs: mergeNeeds(needs, more) };

      const judged = judge(candidates, standing, cells, at, timeZone);
      const forced = grants.filter((g) => !standing.get(standingId(g.achievement.id, g.periodKey))?.completedAt);
      const completions = [
        ...forced,
        ...judged.completions
          .filter((c) => !forced.some((g) => g.achievement.id === c.achievement.id))
          .map((c) => ({ ...c, grantedById: null })),
      ];
      for (const p of judged.progress) {
        const key = standingId(p.achievementId, p.periodKey);
        // A backfill does not start a row for everyone it judged: only where there is progress.
        if (p.progress === 0 && !standing.has(key) && named.has(p.achievementId)) continue;
        if (depth === 0) plan.progress.push(p);
        rows.set(key, { ...p, completed: false, stored: snapshot.standing.has(key) });
        standing.set(key, { progress: p.progress, completedAt: false });
      }
      for (const { achievement, periodKey, grantedById } of completions) {
        const key = standingId(achievement.id, periodKey);
        rows.set(key, {
          achievementId: achievement.id,
          periodKey,
          progress: 100,
          completed: true,
          stored: snapshot.standing.has(key),
        });
        standing.set(key, { progress: 100, completedAt: true });
        plan.awards.push({ achievement, periodKey, grants: catalog.rewards.get(achievement.id) ?? [], grantedById });
      }
      if (completions.length === 0) break;
      changed = apply(completions.map(({ achievement }) => earnedEventOf(achievement, at)));
      if (sizeOf(more) > 0) return { kind: "read", needs: mergeNeeds(needs, more) };
      if (depth >= MAX_CASCADE) break;
    }
  }
  for (const award of plan.awards)
    plan.progress.push({
      achievementId: award.achievement.id,
      periodKey: award.periodKey,
      progress: 100,
      completed: true,
    });
  plan.cells = [...written.values()];
  plan.membersAdded = [...added.values()];
  plan.membersRemoved = [...removed.values()];
  plan.rows = [...rows.values()];
  return { kind: "plan", plan };
}
