import { type Database, queryPrepared, schema } from "@laurel/db";
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

const SNAPSHOT = `
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
 * The guard moves the user's lock version on only if it is still the one the plan was made from (it
 * waits for a holder of the user's lock, then sees what that holder did), and the catalog version and
 * the organization's zone and modules are still those it was made in. Every insert takes its rows
 * through the event, and the event through the guard, so a failed guard writes nothing. Rows and cells
 * the plan found are updated, the others inserted (an upsert would first lock each row: a write-ahead
 * log record apiece). Ledger rows, notifications and `achievement_earned` events join the award rows
 * written; `laurel_assert` undoes the whole statement if an award the plan made did not happen.
 */
const WRITE = `
with guard as (
  update "users" set lock_version = lock_version + 1
  where id = $1::uuid and organization_id = $2::uuid and lock_version = $3::bigint and is_active
    and (select version from "catalog_version") = $23::bigint
    and exists (select from "organizations" o where o.id = $2::uuid and o.time_zone = $24::text
                and o.modules = array(select jsonb_array_elements_text($25::jsonb)))
  returning id
), ev as (
  insert into "events" (id, organization_id, user_id, type, value, attributes, occurred_at,
                        idempotency_key, payload_hash, source)
  select $4::uuid, $2::uuid, $1::uuid, $5::text, $6::numeric, $7::jsonb, $8::timestamptz,
         $9::text, $10::text, $11::event_source
  from guard
  on conflict (organization_id, idempotency_key) do nothing
  returning *
), cells_updated as (
  update "metric_values" mv set value = c.v, state = c.s, updated_at = $12::timestamptz
  from ev, jsonb_to_recordset($13::jsonb) as c(m uuid, w text, v numeric, s jsonb)
  where mv.user_id = $1::uuid and mv.metric_id = c.m and mv.window_key = c.w
), cells_inserted as (
  insert into "metric_values" (user_id, metric_id, window_key, organization_id, value, state, updated_at)
  select $1::uuid, c.m, c.w, $2::uuid, c.v, c.s, $12::timestamptz
  from ev, jsonb_to_recordset($21::jsonb) as c(m uuid, w text, v numeric, s jsonb)
  on conflict (user_id, metric_id, window_key)
  do update set value = excluded.value, state = excluded.state, updated_at = excluded.updated_at
), members as (
  insert into "metric_distinct_members" (user_id, metric_id, window_key, member)
  select $1::uuid, c.m, c.w, c.v
  from ev, jsonb_to_recordset($14::jsonb) as c(m uuid, w text, v text)
  on conflict do nothing
), ua_updated as (
  update "user_achievements" ua set
    progress = r.progress, completed_at = case when r.done then $15::timestamptz end,
    points_awarded = coalesce(r.points, 0), triggering_event_id = case when r.done then ev.id end,
    granted_by_id = null, updated_at = $12::timestamptz
  from ev, jsonb_to_recordset($16::jsonb) as r(a uuid, p text, progress smallint, done boolean, points int)
  where ua.user_id = $1::uuid and ua.achievement_id = r.a and ua.period_key = r.p and ua.completed_at is null
  returning ua.*
), ua_inserted as (
  insert into "user_achievements" (organization_id, user_id, achievement_id, period_key, progress,
                                   completed_at, points_awarded, triggering_event_id, updated_at)
  select $2::uuid, $1::uuid, r.a, r.p, r.progress,
         case when r.done then $15::timestamptz end, coalesce(r.points, 0),
         case when r.done then ev.id end, $12::timestamptz
  from ev, jsonb_to_recordset($22::jsonb) as r(a uuid, p text, progress smallint, done boolean, points int)
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
  select $2::uuid, $1::uuid, aw.id, l.c, l.t::consumable_type, l.q, l.u, l.d
  from jsonb_to_recordset($17::jsonb) as l(a uuid, p text, c uuid, t text, q int, u numeric, d text)
  join awarded aw on aw.achievement_id = l.a and aw.period_key = l.p
  on conflict do nothing
), notes as (
  insert into "notifications" (organization_id, user_id, type, title, body, data, user_achievement_id)
  select $2::uuid, $1::uuid, n.type, n.title, n.body, n.data, aw.id
  from jsonb_to_recordset($18::jsonb) as n(a uuid, p text, type text, title text, body text, data jsonb)
  join awarded aw on aw.achievement_id = n.a and aw.period_key = n.p
  on conflict do nothing
), earned as (
  insert into "events" (organization_id, user_id, type, value, attributes, occurred_at, source, idempotency_key)
  select $2::uuid, $1::uuid, x.type, aw.points_awarded, x.attributes, $8::timestamptz, 'system',
         'award:' || aw.id
  from jsonb_to_recordset($19::jsonb) as x(a uuid, p text, type text, attributes jsonb)
  join awarded aw on aw.achievement_id = x.a and aw.period_key = x.p
)
select jsonb_build_object(
  'moved', not exists (select from guard),
  'event', (select to_jsonb(ev) from ev),
  'awards', (select coalesce(jsonb_agg(to_jsonb(awarded)), '[]') from awarded),
  'checked', laurel_assert(
    not exists (select from ev) or (select count(*) from awarded) = $20::int, 'PLAN_FAILED')
) as written`;

/** The event to store, its id made by the intake so the plan can refer to it. */
export type NewEventRow = Required<
  Pick<
    typeof schema.events.$inferInsert,
    "type" | "value" | "attributes" | "occurredAt" | "idempotencyKey" | "payloadHash" | "source"
  >
> & { id: string };

export type Written =
  | { kind: "moved" }
  | { kind: "known" }
  | { kind: "written"; event: typeof schema.events.$inferSelect; awards: AwardRow[] };

/** The plan in one statement; "moved" when the user changed since the read, "known" when the key did. */
export async function writePlan(
  db: Database,
  organizationId: string,
  userId: string,
  lockVersion: string,
  event: NewEventRow,
  plan: Plan,
  now: Date,
  /** What the plan was made in: the write happens only if they are still so. */
  context: { catalogVersion: number; tenant: { timeZone: string; modules: string[] } },
): Promise<Written> {
  const at = event.occurredAt;
  const awards = plan.awards.map((a) => ({ a: a.achievement.id, p: a.periodKey }));
  const points = new Map(plan.awards.map((a) => [a.achievement.id, a.achievement.points]));
  const cellsJson = (cells: Plan["cells"]) =>
    JSON.stringify(cells.map((c) => ({ m: c.metricId, w: c.windowKey, v: c.state.value, s: c.state.state })));
  const rowsJson = (rows: Plan["rows"]) =>
    JSON.stringify(
      rows.map((r) => ({
        a: r.achievementId,
        p: r.periodKey,
        progress: r.progress,
        done: r.completed,
        points: r.completed ? points.get(r.achievementId)! : 0,
      })),
    );
  const [row] = await queryPrepared<{
    written: { moved: boolean; event: Record<string, unknown> | null; awards: Record<string, unknown>[] };
  }>(db, WRITE, [
    userId,
    organizationId,
    lockVersion,
    event.id,
    event.type,
    event.value === null ? null : String(event.value),
    JSON.stringify(event.attributes),
    at.toISOString(),
    event.idempotencyKey,
    event.payloadHash,
    event.source,
    now.toISOString(),
    cellsJson(plan.cells.filter((c) => c.stored)),
    JSON.stringify(plan.members.map((m) => ({ m: m.metricId, w: m.windowKey, v: m.member }))),
    // Earned when it happened: an event reported late for last week earns its badge last week.
    (at < now ? at : now).toISOString(),
    rowsJson(plan.rows.filter((r) => r.stored)),
    JSON.stringify(
      plan.awards.flatMap((award, i) =>
        ledgerRowsOf(award.achievement, award.grants).map((l) => ({
          ...awards[i],
          c: l.consumableId,
          t: l.type,
          q: l.quantity,
          u: l.unitValue,
          d: l.description,
        })),
      ),
    ),
    JSON.stringify(
      plan.awards.map((award, i) => ({
        ...awards[i],
        ...notificationOf(award.achievement, award.periodKey, award.grants),
      })),
    ),
    JSON.stringify(
      plan.awards.map((award, i) => {
        const earned = earnedEventOf(award.achievement, at);
        return { ...awards[i], type: earned.type, attributes: earned.attributes };
      }),
    ),
    plan.awards.length,
    cellsJson(plan.cells.filter((c) => !c.stored)),
    rowsJson(plan.rows.filter((r) => !r.stored)),
    String(context.catalogVersion),
    context.tenant.timeZone,
    JSON.stringify(context.tenant.modules),
  ]);
  const written = row!.written;
  if (written.moved) return { kind: "moved" };
  if (!written.event) return { kind: "known" };
  const byId = new Map(
    written.awards.map((a) => fromJson(schema.userAchievements, a)).map((a) => [a.achievementId, a]),
  );
  return {
    kind: "written",
    event: fromJson(schema.events, written.event),
    // In the plan's order, which is the order of `awardAll`.
    awards: plan.awards.map((a) => byId.get(a.achievement.id)!),
  };
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
