import { type Database, idArray, queryPrepared, schema } from "@laurel/db";
import type { MetricState } from "@laurel/engine";
import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import {
  type AwardRow,
  earnedEventOf,
  ledgerRowsOf,
  notificationOf,
  type Standing,
  standingId,
} from "../achievement/evaluation.service.js";
import { cellId, memberKey } from "../metric/metric-values.js";
import type { Needs, Plan, Snapshot } from "./intake-plan.js";

/**
 * The intake's two statements (see intake-plan.ts): one read of everything an event could need, without
 * a lock, and one write of its whole effect, which succeeds only if nothing was done to the user since
 * the read. Fixed texts, rows as JSON parameters: each is prepared once per connection.
 */

export const SNAPSHOT = `
select jsonb_build_object(
  'user', (select jsonb_build_object('isActive', u.is_active, 'lockVersion', u.lock_version::text)
           from "users" u where u.id = $1::uuid and u.organization_id = $2::uuid),
  'tenant', (select jsonb_build_object('timeZone', o.time_zone, 'modules', o.modules)
             from "organizations" o where o.id = $2::uuid),
  'catalogVersion', (select v.version::text from "catalog_version" v),
  'known', exists (select from "events" where "organization_id" = $2::uuid and "idempotency_key" = $3::text),
  'cells', (select coalesce(jsonb_agg(jsonb_build_array(mv.metric_id, mv.window_key, mv.value, mv.state)), '[]')
            from jsonb_to_recordset($4::jsonb) as c(m uuid, w text)
            join "metric_values" mv on mv.user_id = $1::uuid and mv.metric_id = c.m and mv.window_key = c.w),
  'members', (select coalesce(jsonb_agg(jsonb_build_array(dm.metric_id, dm.window_key, dm.member)), '[]')
              from jsonb_to_recordset($5::jsonb) as c(m uuid, w text, v text)
              join "metric_distinct_members" dm
                on dm.user_id = $1::uuid and dm.metric_id = c.m and dm.window_key = c.w and dm.member = c.v),
  'standing', (select coalesce(jsonb_agg(jsonb_build_array(ua.achievement_id, ua.period_key, ua.progress,
                                                          ua.completed_at is not null)), '[]')
               from jsonb_to_recordset($6::jsonb) as c(a uuid, p text)
               join "user_achievements" ua
                 on ua.user_id = $1::uuid and ua.achievement_id = c.a and ua.period_key = c.p)
) as snapshot`;

type SnapshotRow = {
  user: { isActive: boolean; lockVersion: string } | null;
  tenant: { timeZone: string; modules: string[] } | null;
  catalogVersion: string;
  known: boolean;
  cells: [string, string, number, MetricState["state"]][];
  members: [string, string, string][];
  standing: [string, string, number, boolean][];
};

export type Read = {
  user: { isActive: boolean; lockVersion: string } | null;
  tenant: { id: string; timeZone: string; modules: string[] } | null;
  catalogVersion: number;
  /** The idempotency key is taken: the event is a replay. */
  known: boolean;
  snapshot: Snapshot;
};

/** One statement: the user, their organization, the catalog version, the key, and what `needs` lists. */
export async function readSnapshot(
  db: Database,
  organizationId: string,
  userId: string,
  idempotencyKey: string | null,
  needs: Needs,
): Promise<Read> {
  const [row] = await queryPrepared<{ snapshot: SnapshotRow }>(db, SNAPSHOT, [
    userId,
    organizationId,
    idempotencyKey,
    JSON.stringify([...needs.cells.values()].map((c) => ({ m: c.metricId, w: c.windowKey }))),
    JSON.stringify([...needs.members.values()].map((c) => ({ m: c.metricId, w: c.windowKey, v: c.member }))),
    JSON.stringify([...needs.standing.values()].map((s) => ({ a: s.achievementId, p: s.periodKey }))),
  ]);
  const s = row!.snapshot;
  return {
    user: s.user,
    tenant: s.tenant && { id: organizationId, ...s.tenant },
    catalogVersion: Number(s.catalogVersion),
    known: s.known,
    snapshot: {
      cells: new Map(s.cells.map(([m, w, value, state]) => [cellId(m, w), { value: Number(value), state }])),
      members: new Set(s.members.map(([m, w, v]) => memberKey(m, w, v))),
      standing: new Map<string, Standing>(
        s.standing.map(([a, p, progress, completed]) => [
          standingId(a, p),
          { progress, completedAt: completed },
        ]),
      ),
    },
  };
}

/*
 * Several users' plans in one statement (the intake batches the writes that are ready at once, see
 * intake-batch.ts), each as it would be alone. A plan's guard moves its user's lock version on only if
 * it is still the one the plan was made from (waiting for a holder of the user's lock, then seeing what
 * that holder did), and the catalog version and the organization's zone and modules are still those it
 * was made in; users are locked in id order, as every locker of several users does. Every insert takes
 * its rows through its event, and the event through its guard, so a plan whose guard fails writes
 * nothing, and the others go on. Rows and cells a plan found are updated, the others inserted (an upsert
 * would first lock each row: a write-ahead log record apiece). Ledger rows, notifications and
 * `achievement_earned` events join the award rows written; `laurel_assert` undoes the whole statement if
 * an award a plan made did not happen. `$2`, the users, lets the planner find them by primary key.
 */
export const WRITE = `
with g as (
  select * from jsonb_to_recordset($1::jsonb) as g(e uuid, u uuid, o uuid, lv bigint, cv bigint, tz text, mods jsonb)
), locked as (
  select u.id from "users" u
  where u.id = any($2::uuid[]) and u.is_active
    and exists (select from g where g.u = u.id and g.o = u.organization_id and g.lv = u.lock_version
                and g.cv = (select version from "catalog_version")
                and exists (select from "organizations" o where o.id = g.o and o.time_zone = g.tz
                            and o.modules = array(select jsonb_array_elements_text(g.mods)))
                -- (A fence: checked per user found by key. As a join, a table without statistics yet
                -- could have the users read through the organization's index, all of them per plan.)
                offset 0)
  order by u.id
  for no key update
), guard as (
  update "users" u set lock_version = u.lock_version + 1
  from locked join g on g.u = locked.id
  where u.id = locked.id
  returning g.e
), ev as (
  insert into "events" (id, organization_id, user_id, type, value, attributes, occurred_at,
                        idempotency_key, payload_hash, source)
  select x.id, x.o, x.u, x.type, x.value, x.attributes, x.at, x.key, x.hash, x.source::event_source
  from jsonb_to_recordset($3::jsonb) as x(id uuid, o uuid, u uuid, type text, value numeric, attributes jsonb,
                                          at timestamptz, key text, hash text, source text)
  join guard on guard.e = x.id
  on conflict (organization_id, idempotency_key) do nothing
  returning *
), cells_updated as (
  update "metric_values" mv set value = c.v, state = c.s, updated_at = c.t
  from ev join jsonb_to_recordset($4::jsonb) as c(e uuid, u uuid, m uuid, w text, v numeric, s jsonb, t timestamptz)
    on c.e = ev.id
  where mv.user_id = c.u and mv.metric_id = c.m and mv.window_key = c.w
), cells_inserted as (
  insert into "metric_values" (user_id, metric_id, window_key, organization_id, value, state, updated_at)
  select ev.user_id, c.m, c.w, ev.organization_id, c.v, c.s, c.t
  from ev join jsonb_to_recordset($5::jsonb) as c(e uuid, m uuid, w text, v numeric, s jsonb, t timestamptz)
    on c.e = ev.id
  on conflict (user_id, metric_id, window_key)
  do update set value = excluded.value, state = excluded.state, updated_at = excluded.updated_at
), members as (
  insert into "metric_distinct_members" (user_id, metric_id, window_key, member)
  select ev.user_id, c.m, c.w, c.v
  from ev join jsonb_to_recordset($6::jsonb) as c(e uuid, m uuid, w text, v text) on c.e = ev.id
  on conflict do nothing
), ua_updated as (
  update "user_achievements" ua set
    progress = r.g, completed_at = case when r.d then x.c end, points_awarded = r.n,
    triggering_event_id = case when r.d then ev.id end, granted_by_id = null, updated_at = x.t
  from ev join jsonb_to_recordset($7::jsonb) as x(e uuid, c timestamptz, t timestamptz, r jsonb) on x.e = ev.id
    cross join lateral jsonb_to_recordset(x.r) as r(a uuid, p text, g smallint, d boolean, n int)
  where ua.user_id = ev.user_id and ua.achievement_id = r.a and ua.period_key = r.p and ua.completed_at is null
  returning ua.*
), ua_inserted as (
  insert into "user_achievements" (organization_id, user_id, achievement_id, period_key, progress,
                                   completed_at, points_awarded, triggering_event_id, updated_at)
  select ev.organization_id, ev.user_id, r.a, r.p, r.g, case when r.d then x.c end, r.n,
         case when r.d then ev.id end, x.t
  from ev join jsonb_to_recordset($8::jsonb) as x(e uuid, c timestamptz, t timestamptz, r jsonb) on x.e = ev.id
    cross join lateral jsonb_to_recordset(x.r) as r(a uuid, p text, g smallint, d boolean, n int)
  on conflict (user_id, achievement_id, period_key) do update set
    progress = excluded.progress, completed_at = excluded.completed_at,
    points_awarded = excluded.points_awarded, triggering_event_id = excluded.triggering_event_id,
    granted_by_id = null, updated_at = excluded.updated_at
  where "user_achievements".completed_at is null
  returning *
), ua as (
  select * from ua_updated union all select * from ua_inserted
), awarded as (
  select * from ua where completed_at is not null
), ledger as (
  insert into "reward_ledger" (organization_id, user_id, user_achievement_id, consumable_id, type,
                               quantity, unit_value, description)
  select aw.organization_id, aw.user_id, aw.id, l.c, l.t::consumable_type, l.q, l.u, l.d
  from jsonb_to_recordset($9::jsonb) as l(e uuid, a uuid, p text, c uuid, t text, q int, u numeric, d text)
  join awarded aw on aw.triggering_event_id = l.e and aw.achievement_id = l.a and aw.period_key = l.p
  on conflict do nothing
), notes as (
  insert into "notifications" (organization_id, user_id, type, title, body, data, user_achievement_id)
  select aw.organization_id, aw.user_id, n.type, n.title, n.body, n.data, aw.id
  from jsonb_to_recordset($10::jsonb) as n(e uuid, a uuid, p text, type text, title text, body text, data jsonb)
  join awarded aw on aw.triggering_event_id = n.e and aw.achievement_id = n.a and aw.period_key = n.p
  on conflict do nothing
), earned as (
  insert into "events" (organization_id, user_id, type, value, attributes, occurred_at, source, idempotency_key)
  select aw.organization_id, aw.user_id, x.type, aw.points_awarded, x.attributes, x.at, 'system',
         'award:' || aw.id
  from jsonb_to_recordset($11::jsonb) as x(e uuid, a uuid, p text, type text, attributes jsonb, at timestamptz)
  join awarded aw on aw.triggering_event_id = x.e and aw.achievement_id = x.a and aw.period_key = x.p
)
select jsonb_build_object(
  'guarded', (select coalesce(jsonb_agg(guard.e), '[]') from guard),
  'events', (select coalesce(jsonb_agg(to_jsonb(ev)), '[]') from ev),
  'awards', (select coalesce(jsonb_agg(to_jsonb(awarded)), '[]') from awarded),
  'checked', laurel_assert(not exists (
    select from jsonb_to_recordset($12::jsonb) as x(e uuid, n int) join ev on ev.id = x.e
    where x.n <> (select count(*) from awarded aw where aw.triggering_event_id = x.e)), 'PLAN_FAILED')
) as written`;

/** The event to store, its id made by the intake so the plan can refer to it. */
export type NewEventRow = Required<
  Pick<
    typeof schema.events.$inferInsert,
    "type" | "value" | "attributes" | "occurredAt" | "idempotencyKey" | "payloadHash" | "source"
  >
> & { id: string };

/** One user's plan, to be written if nothing changed since it was made. */
export type WriteRequest = {
  organizationId: string;
  userId: string;
  /** The user's lock version the plan was made from. */
  lockVersion: string;
  event: NewEventRow;
  plan: Plan;
  now: Date;
  /** What the plan was made in: the write happens only if they are still so. */
  context: { catalogVersion: number; tenant: { timeZone: string; modules: string[] } };
};

export type Written =
  | { kind: "moved" }
  | { kind: "known" }
  | { kind: "written"; event: typeof schema.events.$inferSelect; awards: AwardRow[] };

/**
 * Plans of distinct users in one statement; for each, "moved" when its user changed since the read,
 * "known" when its key did, or what was written.
 */
export async function writePlans(db: Database, requests: readonly WriteRequest[]): Promise<Written[]> {
  const guards: object[] = [];
  const stored: object[] = [];
  const cellsUpdated: object[] = [];
  const cellsInserted: object[] = [];
  const members: object[] = [];
  const rowsUpdated: object[] = [];
  const rowsInserted: object[] = [];
  const ledger: object[] = [];
  const notes: object[] = [];
  const earned: object[] = [];
  const expected: object[] = [];
  for (const { organizationId, userId, lockVersion, event, plan, now, context } of requests) {
    const e = event.id;
    const at = event.occurredAt;
    const t = now.toISOString();
    // Earned when it happened: an event reported late for last week earns its badge last week.
    const c = (at < now ? at : now).toISOString();
    guards.push({
      e,
      u: userId,
      o: organizationId,
      lv: lockVersion,
      cv: context.catalogVersion,
      tz: context.tenant.timeZone,
      mods: context.tenant.modules,
    });
    stored.push({
      id: e,
      o: organizationId,
      u: userId,
      type: event.type,
      value: event.value,
      attributes: event.attributes,
      at: at.toISOString(),
      key: event.idempotencyKey,
      hash: event.payloadHash,
      source: event.source,
    });
    for (const cell of plan.cells)
      (cell.stored ? cellsUpdated : cellsInserted).push({
        e,
        u: userId,
        m: cell.metricId,
        w: cell.windowKey,
        v: cell.state.value,
        s: cell.state.state,
        t,
      });
    for (const m of plan.members) members.push({ e, m: m.metricId, w: m.windowKey, v: m.member });
    // The user's rows, grouped under their event (most of the statement's parameters: short keys).
    const points = new Map(plan.awards.map((a) => [a.achievement.id, a.achievement.points]));
    const updated: object[] = [];
    const inserted: object[] = [];
    for (const r of plan.rows)
      (r.stored ? updated : inserted).push({
        a: r.achievementId,
        p: r.periodKey,
        g: r.progress,
        d: r.completed,
        n: r.completed ? points.get(r.achievementId)! : 0,
      });
    if (updated.length > 0) rowsUpdated.push({ e, c, t, r: updated });
    if (inserted.length > 0) rowsInserted.push({ e, c, t, r: inserted });
    for (const award of plan.awards) {
      const key = { e, a: award.achievement.id, p: award.periodKey };
      for (const l of ledgerRowsOf(award.achievement, award.grants))
        ledger.push({
          ...key,
          c: l.consumableId,
          t: l.type,
          q: l.quantity,
          u: l.unitValue,
          d: l.description,
        });
      notes.push({ ...key, ...notificationOf(award.achievement, award.periodKey, award.grants) });
      const x = earnedEventOf(award.achievement, at);
      earned.push({ ...key, type: x.type, attributes: x.attributes, at: at.toISOString() });
    }
    expected.push({ e, n: plan.awards.length });
  }
  const [row] = await queryPrepared<{
    written: { guarded: string[]; events: Record<string, unknown>[]; awards: Record<string, unknown>[] };
  }>(db, WRITE, [
    JSON.stringify(guards),
    idArray(requests.map((r) => r.userId)),
    ...[
      stored,
      cellsUpdated,
      cellsInserted,
      members,
      rowsUpdated,
      rowsInserted,
      ledger,
      notes,
      earned,
      expected,
    ].map((rows) => JSON.stringify(rows)),
  ]);
  const { guarded, events, awards } = row!.written;
  const passed = new Set(guarded);
  const eventsById = new Map(events.map((e) => [e.id as string, e]));
  const awardsByEvent = new Map<string, AwardRow[]>();
  for (const json of awards) {
    const award = fromJson(schema.userAchievements, json);
    const list = awardsByEvent.get(award.triggeringEventId!) ?? [];
    list.push(award);
    awardsByEvent.set(award.triggeringEventId!, list);
  }
  return requests.map(({ event, plan }): Written => {
    if (!passed.has(event.id)) return { kind: "moved" };
    const stored = eventsById.get(event.id);
    if (!stored) return { kind: "known" };
    const byId = new Map((awardsByEvent.get(event.id) ?? []).map((a) => [a.achievementId, a]));
    return {
      kind: "written",
      event: fromJson(schema.events, stored),
      // In the plan's order, which is the order of `awardAll`.
      awards: plan.awards.map((a) => byId.get(a.achievement.id)!),
    };
  });
}

/** A row as `to_jsonb` gives it (column names, JSON values), as Drizzle would have returned it. */
function fromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}
