import { type Executor, schema } from "@laurel/db";
import {
  cellId,
  earnedAt,
  earnedEventOf,
  ledgerEntriesOf,
  memberKey,
  type Needs,
  notificationOf,
  type Plan,
  type ScoringEvent,
  type Snapshot,
  type Standing,
  standingId,
} from "@laurel/engine";
import { runStatement } from "@laurel/db";
import { getTableColumns, is } from "drizzle-orm";
import { type PgTable, PgTransaction } from "drizzle-orm/pg-core";
import { randomUUID } from "node:crypto";
import { messagesOf } from "./messages.js";
import type { AchievementRow, AwardRow, Catalog, EventRow, Tenant } from "./model.js";
import { FORGET, READ, WRITE } from "./statements.js";

/** What the read found for one user: them, their organization, the catalog version, and the snapshot. */
export type Read = {
  userId: string;
  found: boolean;
  isActive: boolean;
  lockVersion: string;
  tenant: Tenant | null;
  catalogVersion: number;
  /** Their event's idempotency key is taken: the event is a replay. */
  known: boolean;
  snapshot: Snapshot;
};

type ReadRequest = { userId: string; idempotencyKey: string | null; needs: Needs };
type ReadArgs = Parameters<typeof runStatement<(typeof READ)["params"], (typeof READ)["row"]>>[2];
type ReadRow = Awaited<
  ReturnType<typeof runStatement<(typeof READ)["params"], (typeof READ)["row"]>>
>[number];

/** One statement: for each user, everything their `needs` list, with their state and their organization's. */
export async function readStanding(
  db: Executor,
  organizationId: string,
  requests: readonly ReadRequest[],
): Promise<Read[]> {
  const rows = await runStatement(db, READ, readArgs(organizationId, requests));
  const byUser = new Map(rows.map((r) => [r.user, r]));
  return requests.map(({ userId }) => readOf(byUser.get(userId)!, organizationId));
}

/** The read's parameters: each user with their own needs. */
function readArgs(organization: string, requests: readonly ReadRequest[]): ReadArgs {
  return {
    organization,
    users: requests.map(({ userId, idempotencyKey, needs }) => ({
      user: userId,
      key: idempotencyKey,
      cells: [...needs.cells.values()].map((c) => ({ metric: c.metricId, window: c.windowKey })),
      members: [...needs.members.values()].map((c) => ({
        metric: c.metricId,
        window: c.windowKey,
        member: c.member,
      })),
      standing: [...needs.standing.values()].map((s) => ({ achievement: s.achievementId, period: s.periodKey })),
      history: [...needs.history].map(([need, h]) => ({
        need,
        metric: h.metric.id,
        window: h.windowKey,
        types: [...h.types],
        start: h.range?.start.toISOString() ?? null,
        end: h.range?.end.toISOString() ?? null,
      })),
    })),
  };
}

/** One user's row of the read, as the planner takes it. */
function readOf(r: ReadRow, organizationId: string): Read {
  const history = new Map<string, ScoringEvent[]>();
  for (const { need, ...event } of r.history) {
    if (!history.has(need)) history.set(need, []);
    history.get(need)!.push(event);
  }
  return {
    userId: r.user,
    found: r.found,
    isActive: r.isActive ?? false,
    lockVersion: r.lockVersion ?? "0",
    tenant:
      r.found && r.timeZone !== null
        ? { id: organizationId, timeZone: r.timeZone, modules: r.modules ?? [] }
        : null,
    catalogVersion: Number(r.catalogVersion),
    known: r.known,
    snapshot: {
      cells: new Map(r.cells.map((c) => [cellId(c.metric, c.window), { value: c.value, state: c.state }])),
      members: new Set(r.members.map((m) => memberKey(m.metric, m.window, m.member))),
      standing: new Map<string, Standing>(
        r.standing.map((s) => [
          standingId(s.achievement, s.period),
          { progress: s.progress, completedAt: s.completed },
        ]),
      ),
      history,
    },
  };
}

/** The event to store, its id made by the caller so the plan can refer to it. */
export type NewEventRow = Pick<
  EventRow,
  "id" | "type" | "value" | "attributes" | "occurredAt" | "idempotencyKey" | "payloadHash" | "source"
>;

/** One user's plan, to be written if its guard still holds. */
export type WriteRequest = {
  organizationId: string;
  userId: string;
  /**
   * What the plan was made from: the user's lock version, the catalog version and the organization's zone
   * and modules; the write happens only if they are still so. Null: the caller holds the user's lock.
   */
  guard: { lockVersion: string; catalogVersion: number; tenant: Pick<Tenant, "timeZone" | "modules"> } | null;
  event: NewEventRow | null;
  plan: Plan<AchievementRow>;
  /** The catalog it was planned in (what the outbox tells of its achievements). */
  catalog: Catalog;
  /** When it happened (awards are earned then, never later than now). */
  at: Date;
  now: Date;
  /** Tell the user of their awards (a backfill may not). */
  notify: boolean;
};

export type Written =
  { kind: "moved" } | { kind: "known" } | { kind: "written"; event: EventRow | null; awards: AwardRow[] };

type WriteArgs = Parameters<typeof runStatement<(typeof WRITE)["params"], (typeof WRITE)["row"]>>[2];

/**
 * Plans of distinct users in one statement (the one place standing is written); for each, "moved" when
 * its guard failed, "known" when its event's key was taken meanwhile, or what was written.
 */
export async function writePlans(db: Executor, requests: readonly WriteRequest[]): Promise<Written[]> {
  const ids = requests.map((r) => r.event?.id ?? randomUUID());
  const args: WriteArgs = {
    plans: [],
    users: requests.map((r) => r.userId),
    events: [],
    cellsStored: [],
    cellsNew: [],
    membersAdded: [],
    rowsStored: [],
    rowsNew: [],
    ledger: [],
    notifications: [],
    earned: [],
    messages: [],
    awardCounts: [],
  };
  requests.forEach((request, i) => addPlan(args, ids[i]!, request));
  await forget(db, requests);
  const [row] = await runStatement(db, WRITE, args);
  const { guarded, events, awards } = row!;
  const passed = new Set(guarded);
  const eventsById = new Map(events.map((e) => [e.id as string, e]));
  const awardsByPlan = new Map<string, AwardRow[]>();
  for (const json of awards) {
    const list = awardsByPlan.get(json.plan as string) ?? [];
    list.push(fromJson(schema.userAchievements, json));
    awardsByPlan.set(json.plan as string, list);
  }
  return requests.map(({ event, plan }, i): Written => {
    const id = ids[i]!;
    if (!passed.has(id)) return { kind: "moved" };
    const stored = event ? eventsById.get(id) : undefined;
    if (event && !stored) return { kind: "known" };
    const byId = new Map((awardsByPlan.get(id) ?? []).map((a) => [a.achievementId, a]));
    return {
      kind: "written",
      event: stored ? fromJson(schema.events, stored) : null,
      // In the plan's order: the cascade's after the awards that caused them.
      awards: plan.awards.map((a) => byId.get(a.achievement.id)!),
    };
  });
}

/** What rebuilt windows no longer count: only under the users' locks, in the caller's transaction. */
async function forget(db: Executor, requests: readonly WriteRequest[]) {
  const members = requests.flatMap((r) =>
    r.plan.membersRemoved.map((m) => ({
      user: r.userId,
      metric: m.metricId,
      window: m.windowKey,
      member: m.member,
    })),
  );
  const cells = requests.flatMap((r) =>
    r.plan.cellsRemoved.map((c) => ({ user: r.userId, metric: c.metricId, window: c.windowKey })),
  );
  if (members.length === 0 && cells.length === 0) return;
  if (!is(db, PgTransaction) || requests.some((r) => r.guard !== null))
    throw new Error("Members and cells are removed only under the users' locks, in the caller's transaction");
  await runStatement(db, FORGET, { members, cells });
}

/** One plan's rows among the write's parameters, each naming its plan. */
function addPlan(args: WriteArgs, plan: string, request: WriteRequest) {
  const { organizationId, userId, guard, event, now } = request;
  const stamp = now.toISOString();
  args.plans.push({
    plan,
    user: userId,
    organization: organizationId,
    lockVersion: guard?.lockVersion ?? null,
    catalogVersion: guard?.catalogVersion ?? null,
    timeZone: guard?.tenant.timeZone ?? null,
    modules: guard ? [...guard.tenant.modules] : null,
    hasEvent: event !== null,
  });
  if (event)
    args.events.push({
      id: plan,
      type: event.type,
      value: event.value,
      attributes: event.attributes,
      occurredAt: event.occurredAt.toISOString(),
      key: event.idempotencyKey,
      hash: event.payloadHash,
      source: event.source,
    });
  const cell = (c: { metricId: string; windowKey: string }) => ({
    plan,
    metric: c.metricId,
    window: c.windowKey,
  });
  for (const c of request.plan.cells) {
    const { value, state } = c.state;
    (c.stored ? args.cellsStored : args.cellsNew).push({ ...cell(c), user: userId, value, state, at: stamp });
  }
  for (const m of request.plan.membersAdded) args.membersAdded.push({ ...cell(m), member: m.member });
  addStanding(args, plan, request);
  args.awardCounts.push({ plan, awards: request.plan.awards.length });
}

/** A plan's rows of `user_achievements`, and what each award writes beside its row. */
function addStanding(args: WriteArgs, plan: string, request: WriteRequest) {
  const { plan: planned, userId: user, at, now, notify } = request;
  const awards = new Map(planned.awards.map((a) => [a.achievement.id, a]));
  const completedAt = earnedAt(at, now).toISOString();
  const stamp = now.toISOString();
  for (const r of planned.rows) {
    const award = r.completed ? awards.get(r.achievementId) : undefined;
    const { achievementId: achievement, periodKey: period, progress, completed, stored } = r;
    const points = award?.achievement.points ?? 0;
    const grantedBy = award?.grantedById ?? null;
    (stored ? args.rowsStored : args.rowsNew).push({
      plan,
      user,
      achievement,
      period,
      progress,
      completed,
      points,
      grantedBy,
      completedAt,
      at: stamp,
    });
  }
  for (const award of planned.awards) {
    const key = { plan, achievement: award.achievement.id, period: award.periodKey };
    for (const l of ledgerEntriesOf(award.achievement, award.grants))
      args.ledger.push({ ...key, ...l, consumable: l.consumableId });
    if (notify)
      args.notifications.push({
        ...key,
        ...notificationOf(award.achievement, award.periodKey, award.grants),
      });
    const { type, attributes } = earnedEventOf(award.achievement, at);
    args.earned.push({ ...key, type, attributes, occurredAt: at.toISOString() });
  }
  for (const m of messagesOf(user, planned, request.catalog, { earnedAt: completedAt, progress: notify }))
    args.messages.push({ plan, ...m });
}

/** A row as `to_jsonb` gives it (column names, JSON values), parsed by the Drizzle table's own columns. */
function fromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}
