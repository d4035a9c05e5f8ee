import { windowKey, windowRange } from "../calendar.js";
import { SYSTEM_EVENTS } from "../catalog.js";
import { effectOn, type MetricState } from "../metrics.js";
import { type Catalog, candidatesIn } from "./catalog.js";
import { cellId, memberKey, metricsFor, rebuildCell, stepTouch, type Touch, touchesOf } from "./cells.js";
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
  const changed = metricNeeds(needs, catalog, timeZone, intent);
  if (intent.evaluate === false) return needs;
  const first = firstCandidates(catalog, changed, intent, now);
  const grants = intent.grants ?? [];
  if (first.length === 0 && grants.length === 0) return needs;
  const earnedMetrics = metricsFor(catalog.metrics, [SYSTEM_EVENTS.achievementEarned]);
  const cascade = candidatesIn(catalog, new Set(earnedMetrics.map((m) => m.id)), now);
  const all = [...new Map([...first, ...cascade].map((e) => [e.achievement.id, e])).values()];
  const rows = [
    ...all.map(({ achievement }) => ({ achievement, periodKey: periodOf(achievement, intent.at, timeZone) })),
    ...grants,
  ];
  for (const { achievement, periodKey } of rows)
    needs.standing.set(standingId(achievement.id, periodKey), { achievementId: achievement.id, periodKey });
  for (const [id, cell] of ruleCells(all, intent.at, timeZone)) needs.cells.set(id, cell);
  const earned = rows.map(({ achievement }) => earnedEventOf(achievement, intent.at));
  touchNeeds(needs, touchesOf(earnedMetrics, earned, timeZone));
  return needs;
}

/** The cells and members the touches step. */
function touchNeeds(needs: Needs, touches: readonly Touch[]) {
  for (const t of touches) {
    const cell = { metricId: t.metric.id, windowKey: t.windowKey };
    needs.cells.set(cellId(t.metric.id, t.windowKey), cell);
    if (t.member !== null)
      needs.members.set(memberKey(t.metric.id, t.windowKey, t.member), { ...cell, member: t.member });
  }
}

/** The intent's metric needs (its events' cells, the windows it rebuilds); returns the metrics it moves. */
function metricNeeds<A extends ScoredAchievement>(
  needs: Needs,
  catalog: Catalog<A>,
  timeZone: string,
  intent: Intent<A>,
): Set<string> {
  const events = intent.events ?? [];
  const direct = metricsFor(
    catalog.metrics,
    events.map((e) => e.type),
  );
  touchNeeds(needs, touchesOf(direct, events, timeZone));
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
  return changed;
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
  /** Stored cells of a metric rebuilt whole that no event falls in any more: deleted, as never counted. */
  cellsRemoved: Cell[];
  rows: PlannedRow[];
  /** The awards, in the order they are made (the cascade's after the ones that caused them). */
  awards: PlannedAward<A>[];
  /** The first judgement's progress, then every award as completed. */
  progress: ProgressChange[];
};

/** A plan, or what must be read first for one (more than the read found: a late streak event's history). */
export type Planned<A extends ScoredAchievement = ScoredAchievement> =
  { kind: "plan"; plan: Plan<A> } | { kind: "read"; needs: Needs };

type Rebuilt = {
  metric: ScoredMetric;
  windowKey: string;
  events: ScoringEvent[];
  dirty: boolean;
  /** Rebuilt as part of the whole metric: left with no event it counts, the cell goes rather than stays at zero. */
  whole: boolean;
};

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
  const planner = new Planner(catalog, timeZone, intent, needs, snapshot, now);
  const more = planner.run();
  return more ? { kind: "read", needs: mergeNeeds(needs, more) } : { kind: "plan", plan: planner.plan() };
}

/** One plan's working state: the user's standing as the plan moves it, and what it writes. */
class Planner<A extends ScoredAchievement> {
  /** What the plan needs beyond `needs`: when anything is here, planning stops and asks for it. */
  private readonly more = emptyNeeds();
  private readonly cells: Map<string, MetricState>;
  private readonly standing: Map<string, Standing>;
  private readonly counted: Set<string>;
  private readonly written = new Map<string, PlannedCell>();
  private readonly added = new Map<string, PlannedMember>();
  private readonly removed = new Map<string, PlannedMember>();
  private readonly gone = new Map<string, Cell>();
  private readonly rows = new Map<string, PlannedRow>();
  private readonly awards: PlannedAward<A>[] = [];
  private readonly progress: ProgressChange[] = [];
  /** Windows rebuilt from history, by `cellId`, with their events so far. */
  private readonly rebuilt = new Map<string, Rebuilt>();
  private readonly storedMembers: Map<string, Set<string>>;

  constructor(
    private readonly catalog: Catalog<A>,
    private readonly timeZone: string,
    private readonly intent: Intent<A>,
    private readonly needs: Needs,
    private readonly snapshot: Snapshot,
    private readonly now: Date,
  ) {
    this.cells = new Map(snapshot.cells);
    this.standing = new Map(snapshot.standing);
    this.counted = new Set(snapshot.members);
    this.collectHistory();
    this.storedMembers = membersByCell(snapshot.members, this.rebuilt);
  }

  private get asking() {
    return sizeOf(this.more) > 0;
  }

  /** Plans the intent; returns what more must be read, or nothing when the plan is complete. */
  run(): Needs | undefined {
    const initial = new Set<string>();
    this.refold(initial);
    let changed = this.apply(this.intent.events ?? []);
    for (const id of initial) changed.add(id);
    if (this.asking) return this.more;
    if (this.intent.evaluate === false) return undefined;
    for (let depth = 0; ; depth++) {
      const completions = this.judgeOnce(depth, changed);
      if (completions === undefined) return this.more;
      if (completions.length === 0) break;
      changed = this.apply(completions.map(({ achievement }) => earnedEventOf(achievement, this.intent.at)));
      if (this.asking) return this.more;
      if (depth >= MAX_CASCADE) break;
    }
    return undefined;
  }

  plan(): Plan<A> {
    const completed = this.awards.map((award) => ({
      achievementId: award.achievement.id,
      periodKey: award.periodKey,
      progress: 100,
      completed: true,
    }));
    return {
      cells: [...this.written.values()],
      membersAdded: [...this.added.values()],
      membersRemoved: [...this.removed.values()],
      cellsRemoved: [...this.gone.values()],
      rows: [...this.rows.values()],
      awards: this.awards,
      progress: [...this.progress, ...completed],
    };
  }

  /**
   * Each history need's events, by window (with the stored windows of a whole metric that no event falls
   * in any more, which rebuild empty).
   */
  private collectHistory() {
    for (const [id, need] of this.needs.history) {
      const byWindow = new Map<string, ScoringEvent[]>();
      if (need.windowKey !== null) byWindow.set(need.windowKey, []);
      else
        for (const key of this.snapshot.cells.keys())
          if (key.startsWith(`${need.metric.id}|`)) byWindow.set(key.slice(need.metric.id.length + 1), []);
      for (const event of this.snapshot.history.get(id) ?? []) {
        const key = need.windowKey ?? windowKey(need.metric.window, event.occurredAt, this.timeZone);
        if (!byWindow.has(key)) byWindow.set(key, []);
        byWindow.get(key)!.push(event);
      }
      for (const [key, events] of byWindow)
        this.rebuilt.set(cellId(need.metric.id, key), {
          metric: need.metric,
          windowKey: key,
          events,
          dirty: true,
          whole: need.windowKey === null,
        });
    }
  }

  private setCell(metricId: string, key: string, state: MetricState, changed: Set<string>) {
    const id = cellId(metricId, key);
    if ((this.cells.get(id)?.value ?? 0) !== state.value) changed.add(metricId);
    this.cells.set(id, state);
    this.written.set(id, { metricId, windowKey: key, state, stored: this.snapshot.cells.has(id) });
  }

  private removeCell(cell: Rebuilt, changed: Set<string>) {
    const id = cellId(cell.metric.id, cell.windowKey);
    if ((this.cells.get(id)?.value ?? 0) !== 0) changed.add(cell.metric.id);
    this.cells.delete(id);
    this.written.delete(id);
    if (this.snapshot.cells.has(id))
      this.gone.set(id, { metricId: cell.metric.id, windowKey: cell.windowKey });
  }

  /** Folds again the rebuilt windows that took events, and their members against the stored ones. */
  private refold(changed: Set<string>) {
    for (const [id, cell] of this.rebuilt) {
      if (!cell.dirty) continue;
      cell.dirty = false;
      const { state, members } = rebuildCell(cell.metric, cell.events, this.timeZone);
      if (cell.whole && !cell.events.some((e) => effectOn(cell.metric, e))) this.removeCell(cell, changed);
      else {
        this.gone.delete(id);
        this.setCell(cell.metric.id, cell.windowKey, state, changed);
      }
      const before = this.storedMembers.get(id) ?? new Set<string>();
      const member = (m: string) => ({ metricId: cell.metric.id, windowKey: cell.windowKey, member: m });
      for (const m of members) {
        const key = memberKey(cell.metric.id, cell.windowKey, m);
        this.counted.add(key);
        this.removed.delete(key);
        if (!before.has(m)) this.added.set(key, member(m));
      }
      for (const m of before) {
        if (members.has(m)) continue;
        const key = memberKey(cell.metric.id, cell.windowKey, m);
        this.counted.delete(key);
        this.added.delete(key);
        this.removed.set(key, member(m));
      }
    }
  }

  /** Whether a distinct metric has not counted the member yet; counts it. */
  private readonly isNew = (key: string) => {
    if (this.counted.has(key)) return false;
    this.counted.add(key);
    const [metricId, windowKey, ...member] = key.split("|");
    this.added.set(key, { metricId: metricId!, windowKey: windowKey!, member: member.join("|") });
    return true;
  };

  /** New events stepped into their cells (or added to a rebuilt window's); the metrics whose value moved. */
  private apply(events: readonly ScoringEvent[]): Set<string> {
    const changed = new Set<string>();
    const types = events.map((e) => e.type);
    for (const t of touchesOf(metricsFor(this.catalog.metrics, types), events, this.timeZone)) {
      const id = cellId(t.metric.id, t.windowKey);
      const cell = this.rebuilt.get(id);
      if (cell) {
        cell.events.push(t.event);
        cell.dirty = true;
        continue;
      }
      // Only a touch of what was not read is skipped: the others still step, so every late streak
      // window the events fall in is asked for in one more read, not one read each.
      let unread = !this.needs.cells.has(id);
      if (unread) this.more.cells.set(id, { metricId: t.metric.id, windowKey: t.windowKey });
      if (t.member !== null) {
        const key = memberKey(t.metric.id, t.windowKey, t.member);
        if (!this.needs.members.has(key)) {
          unread = true;
          this.more.members.set(key, { metricId: t.metric.id, windowKey: t.windowKey, member: t.member });
        }
      }
      if (unread) continue;
      const result = stepTouch(t, this.cells.get(id), this.isNew, this.timeZone);
      if (result.kind === "recompute")
        this.more.history.set(
          historyId(t.metric.id, t.windowKey),
          historyNeed(t.metric, t.windowKey, this.timeZone),
        );
      else this.setCell(t.metric.id, t.windowKey, result.next, changed);
    }
    this.refold(changed);
    return changed;
  }

  /**
   * One depth of judgement: the achievements reading the changed metrics (and at depth 0 those the intent
   * names or grants). Returns the awards made, or undefined when it needs more read first.
   */
  private judgeOnce(depth: number, changed: ReadonlySet<string>) {
    const { at } = this.intent;
    const candidates =
      depth === 0
        ? firstCandidates(this.catalog, changed, this.intent, this.now)
        : candidatesIn(this.catalog, changed, this.now);
    const grants = depth === 0 ? (this.intent.grants ?? []) : [];
    if (candidates.length === 0 && grants.length === 0) return [];
    const judged = candidates.map((e) => ({
      achievement: e.achievement,
      periodKey: periodOf(e.achievement, at, this.timeZone),
    }));
    for (const { achievement, periodKey } of [...judged, ...grants]) {
      const key = standingId(achievement.id, periodKey);
      if (!this.needs.standing.has(key))
        this.more.standing.set(key, { achievementId: achievement.id, periodKey });
    }
    for (const [id, cell] of ruleCells(candidates, at, this.timeZone))
      if (!this.needs.cells.has(id) && !this.rebuilt.has(id)) this.more.cells.set(id, cell);
    if (this.asking) return undefined;

    const result = judge(candidates, this.standing, this.cells, at, this.timeZone);
    const forced = grants.filter(
      (g) => !this.standing.get(standingId(g.achievement.id, g.periodKey))?.completedAt,
    );
    const completions = [
      ...forced,
      ...result.completions
        .filter((c) => !forced.some((g) => g.achievement.id === c.achievement.id))
        .map((c) => ({ ...c, grantedById: null })),
    ];
    const named = new Set((this.intent.judge ?? []).map((e) => e.achievement.id));
    for (const p of result.progress) {
      const key = standingId(p.achievementId, p.periodKey);
      // A backfill does not start a row for everyone it judged: only where there is progress.
      if (p.progress === 0 && !this.standing.has(key) && named.has(p.achievementId)) continue;
      if (depth === 0) this.progress.push(p);
      this.rows.set(key, { ...p, completed: false, stored: this.snapshot.standing.has(key) });
      this.standing.set(key, { progress: p.progress, completedAt: false });
    }
    for (const { achievement, periodKey, grantedById } of completions) {
      const key = standingId(achievement.id, periodKey);
      this.rows.set(key, {
        achievementId: achievement.id,
        periodKey,
        progress: 100,
        completed: true,
        stored: this.snapshot.standing.has(key),
      });
      this.standing.set(key, { progress: 100, completedAt: true });
      const grantsOf = this.catalog.rewards.get(achievement.id) ?? [];
      this.awards.push({ achievement, periodKey, grants: grantsOf, grantedById });
    }
    return completions;
  }
}
