import { defineStatement, param } from "@laurel/db";
import { z } from "zod";

/**
 * The scoring layer's two statements: one read of everything a change to users' standing needs, without
 * a lock, and one write of its whole effect, guarded. Fixed texts (each prepared once per connection on
 * the database, run as they are inside a transaction), named parameters serialized in one place, rows
 * parsed. Both take several users at once: the intake batches users' writes, a backfill reads and
 * writes a page of users. `statements.test.ts` prepares each against the migrated schema, so a column
 * that drifts fails a test.
 */

const metricState = z.object({ value: z.coerce.number(), state: z.record(z.string(), z.unknown()) });

const cell = { metric: z.string(), window: z.string() };

/**
 * Each user comes with their own requests (cells, members, progress rows, history), so a user's part of
 * the read looks at their rows alone: no request names its user, and none is filtered out of another's.
 */
export const READ = defineStatement({
  name: "scoring.read",
  params: {
    organization: param.uuid(),
    users: param.jsonRows(
      z.object({
        user: z.string(),
        /** The idempotency key of their event, if it has one. */
        key: z.string().nullable(),
        cells: z.array(z.object(cell)),
        members: z.array(z.object({ ...cell, member: z.string() })),
        standing: z.array(z.object({ achievement: z.string(), period: z.string() })),
        /** Windows rebuilt from history: a metric's events of these types between two instants (null: all). */
        history: z.array(
          z.object({
            need: z.string(),
            metric: z.string(),
            window: z.string().nullable(),
            types: z.array(z.string()),
            start: z.string().nullable(),
            end: z.string().nullable(),
          }),
        ),
      }),
    ),
  },
  row: z.object({
    user: z.string(),
    found: z.boolean(),
    isActive: z.boolean().nullable(),
    lockVersion: z.string().nullable(),
    timeZone: z.string().nullable(),
    modules: z.array(z.string()).nullable(),
    catalogVersion: z.string(),
    known: z.boolean(),
    cells: z.array(metricState.extend(cell)),
    members: z.array(z.object({ ...cell, member: z.string() })),
    standing: z.array(
      z.object({ achievement: z.string(), period: z.string(), progress: z.number(), completed: z.boolean() }),
    ),
    history: z.array(
      z.object({
        need: z.string(),
        id: z.string(),
        type: z.string(),
        value: z.coerce.number().nullable(),
        attributes: z.record(z.string(), z.unknown()),
        occurredAt: z.coerce.date(),
      }),
    ),
  }),
  // (`union all`: a cell or member asked for twice comes back twice, and the caller keeps one.)
  text: (p) => `
select x."user", u.id is not null as found, u.is_active as "isActive", u.lock_version::text as "lockVersion",
  o.time_zone as "timeZone", to_jsonb(o.modules) as modules,
  (select v.version::text from "catalog_version" v) as "catalogVersion",
  k.known is not null as known,
  (select coalesce(jsonb_agg(jsonb_build_object('metric', mv.metric_id, 'window', mv.window_key,
                                                'value', mv.value, 'state', mv.state)), '[]')
   from (select c.metric, c."window" from jsonb_to_recordset(x.cells) as c(metric uuid, "window" text)
         union all
         select h.metric, h."window" from jsonb_to_recordset(x.history) as h(metric uuid, "window" text)
         where h."window" is not null
         union all
         select mv.metric_id, mv.window_key from jsonb_to_recordset(x.history) as h(metric uuid, "window" text)
         join "metric_values" mv on mv.user_id = x."user" and mv.metric_id = h.metric
         where h."window" is null) c
   join "metric_values" mv on mv.user_id = x."user" and mv.metric_id = c.metric and mv.window_key = c."window"
  ) as cells,
  (select coalesce(jsonb_agg(jsonb_build_object('metric', dm.metric_id, 'window', dm.window_key, 'member', dm.member)), '[]')
   from (select m.metric_id, m.window_key, m.member
         from jsonb_to_recordset(x.members) as c(metric uuid, "window" text, member text)
         join "metric_distinct_members" m on m.user_id = x."user" and m.metric_id = c.metric
           and m.window_key = c."window" and m.member = c.member
         union all
         select m.metric_id, m.window_key, m.member
         from jsonb_to_recordset(x.history) as h(metric uuid, "window" text)
         join "metric_distinct_members" m on m.user_id = x."user" and m.metric_id = h.metric
           and (h."window" is null or m.window_key = h."window")) dm
  ) as members,
  (select coalesce(jsonb_agg(jsonb_build_object('achievement', ua.achievement_id, 'period', ua.period_key,
                                                'progress', ua.progress, 'completed', ua.completed_at is not null)), '[]')
   from jsonb_to_recordset(x.standing) as s(achievement uuid, period text)
   join "user_achievements" ua on ua.user_id = x."user" and ua.achievement_id = s.achievement and ua.period_key = s.period
  ) as standing,
  (select coalesce(jsonb_agg(jsonb_build_object('need', h.need, 'id', e.id, 'type', e.type, 'value', e.value,
                                                'attributes', e.attributes, 'occurredAt', e.occurred_at)), '[]')
   from jsonb_to_recordset(x.history) as h(need text, types text[], "start" timestamptz, "end" timestamptz)
   join "events" e on e.user_id = x."user" and e.type = any(h.types) and e.retracted_at is null
     and (h."start" is null or (e.occurred_at >= h."start" and e.occurred_at < h."end"))
  ) as history
from jsonb_to_recordset(${p.users})
  as x("user" uuid, key text, cells jsonb, members jsonb, standing jsonb, history jsonb)
-- (Each user by primary key: as a join, a planner without statistics could read the organization's.)
left join lateral (
  select u.id, u.is_active, u.lock_version from "users" u
  where u.id = x."user" and u.organization_id = ${p.organization} offset 0) u on true
left join "organizations" o on o.id = ${p.organization}
-- (The key looked up per user, by the unique index: as an EXISTS, a plan made once could read every
-- event of the organization into a hash for a single key.)
left join lateral (
  select true as known from "events" e
  where e.organization_id = ${p.organization} and e.idempotency_key = x.key limit 1) k on true`,
});

/*
 * Several users' plans in one statement, each as it would be alone. A plan's guard moves its user's lock
 * version on only if it is still the one the plan was made from (waiting for a holder of the user's lock,
 * then seeing what that holder did), and the catalog version and the organization's zone and modules are
 * still those it was made in; users are locked in id order, as every locker of several users does. A
 * plan with an event goes on only if its event was stored (a twin under the same idempotency key stops
 * it); every other write takes its rows through `ok`, so a plan whose guard fails writes nothing, and the
 * others go on. Rows and cells a plan found are updated, the others inserted (an upsert would first lock
 * each row: a write-ahead log record apiece). Ledger rows, notifications and `achievement_earned` events
 * join the award rows written; `laurel_assert` undoes the whole statement if an award a plan made did not
 * happen. `users` lets the planner find them by primary key.
 */
const cellRow = {
  plan: z.string(),
  user: z.string(),
  metric: z.string(),
  window: z.string(),
  value: z.number(),
  state: z.record(z.string(), z.unknown()),
  at: z.string(),
};
const standingRow = {
  plan: z.string(),
  user: z.string(),
  achievement: z.string(),
  period: z.string(),
  progress: z.number(),
  completed: z.boolean(),
  points: z.number(),
  grantedBy: z.string().nullable(),
  completedAt: z.string(),
  at: z.string(),
};

export const WRITE = defineStatement({
  name: "scoring.write",
  params: {
    plans: param.jsonRows(
      z.object({
        plan: z.string(),
        user: z.string(),
        organization: z.string(),
        /** The plan's guard; all null when the caller holds the user's lock. */
        lockVersion: z.string().nullable(),
        catalogVersion: z.number().nullable(),
        timeZone: z.string().nullable(),
        modules: z.array(z.string()).nullable(),
        hasEvent: z.boolean(),
      }),
    ),
    users: param.uuidArray(),
    events: param.jsonRows(
      z.object({
        id: z.string(),
        type: z.string(),
        value: z.number().nullable(),
        attributes: z.record(z.string(), z.unknown()),
        occurredAt: z.string(),
        key: z.string().nullable(),
        hash: z.string().nullable(),
        source: z.string(),
      }),
    ),
    /** Cells the plan found (updated, each found by its whole key) and new ones (inserted), apart: each read once. */
    cellsStored: param.jsonRows(z.object(cellRow)),
    cellsNew: param.jsonRows(z.object(cellRow)),
    membersAdded: param.jsonRows(
      z.object({ plan: z.string(), metric: z.string(), window: z.string(), member: z.string() }),
    ),
    /** Progress rows the plan found, and new ones, apart as the cells are. */
    rowsStored: param.jsonRows(z.object(standingRow)),
    rowsNew: param.jsonRows(z.object(standingRow)),
    ledger: param.jsonRows(
      z.object({
        plan: z.string(),
        achievement: z.string(),
        period: z.string(),
        consumable: z.string(),
        type: z.string(),
        quantity: z.number(),
        unitValue: z.number(),
        description: z.string(),
      }),
    ),
    notifications: param.jsonRows(
      z.object({
        plan: z.string(),
        achievement: z.string(),
        period: z.string(),
        type: z.string(),
        title: z.string(),
        body: z.string(),
        data: z.record(z.string(), z.unknown()),
      }),
    ),
    earned: param.jsonRows(
      z.object({
        plan: z.string(),
        achievement: z.string(),
        period: z.string(),
        type: z.string(),
        attributes: z.record(z.string(), z.unknown()),
        occurredAt: z.string(),
      }),
    ),
    /** Outbox events (messages.ts); one tied to an award is written only with it. */
    messages: param.jsonRows(
      z.object({
        plan: z.string(),
        achievement: z.string().nullable(),
        period: z.string().nullable(),
        type: z.string(),
        payload: z.record(z.string(), z.unknown()),
        occurredAt: z.string(),
      }),
    ),
    awardCounts: param.jsonRows(z.object({ plan: z.string(), awards: z.number() })),
  },
  row: z.object({
    guarded: z.array(z.string()),
    events: z.array(z.record(z.string(), z.unknown())),
    awards: z.array(z.record(z.string(), z.unknown())),
  }),
  // eslint-disable-next-line max-lines-per-function -- one SQL statement, read as a whole
  text: (p) => `
with g as (
  select * from jsonb_to_recordset(${p.plans}) as g(plan uuid, "user" uuid, organization uuid, "lockVersion" bigint,
                                                   "catalogVersion" bigint, "timeZone" text, modules jsonb,
                                                   "hasEvent" boolean)
), locked as (
  select u.id from "users" u
  where u.id = any(${p.users})
    and exists (select from g where g."user" = u.id and g.organization = u.organization_id
                and (g."lockVersion" is null or (
                  u.is_active and g."lockVersion" = u.lock_version
                  and g."catalogVersion" = (select version from "catalog_version")
                  and exists (select from "organizations" o where o.id = g.organization and o.time_zone = g."timeZone"
                              and o.modules = array(select jsonb_array_elements_text(g.modules)))))
                -- (A fence: checked per user found by key. As a join, a table without statistics yet
                -- could have the users read through the organization's index, all of them per plan.)
                offset 0)
  order by u.id
  for no key update
), guard as (
  update "users" u set lock_version = u.lock_version + 1
  from locked join g on g."user" = locked.id
  where u.id = locked.id
  returning g.plan
), ev as (
  insert into "events" (id, organization_id, user_id, type, value, attributes, occurred_at,
                        idempotency_key, payload_hash, source)
  select x.id, g.organization, g."user", x.type, x.value, x.attributes, x."occurredAt", x.key, x.hash,
         x.source::event_source
  from jsonb_to_recordset(${p.events}) as x(id uuid, type text, value numeric, attributes jsonb,
                                            "occurredAt" timestamptz, key text, hash text, source text)
  join guard on guard.plan = x.id
  join g on g.plan = x.id
  on conflict (organization_id, idempotency_key) do nothing
  returning *
), ok as (
  select g.plan, g."user", g.organization, case when g."hasEvent" then g.plan end as event
  from guard join g on g.plan = guard.plan
  where not g."hasEvent" or exists (select from ev where ev.id = g.plan)
), cells_updated as (
  update "metric_values" mv set value = c.value, state = c.state, updated_at = c.at
  from ok join jsonb_to_recordset(${p.cellsStored})
    as c(plan uuid, "user" uuid, metric uuid, "window" text, value numeric, state jsonb, at timestamptz)
    on c.plan = ok.plan
  -- (The user from the row itself: each cell then found by its whole key, whatever the join order.)
  where mv.user_id = c."user" and mv.metric_id = c.metric and mv.window_key = c."window"
), cells_inserted as (
  insert into "metric_values" (user_id, metric_id, window_key, organization_id, value, state, updated_at)
  select ok."user", c.metric, c."window", ok.organization, c.value, c.state, c.at
  from ok join jsonb_to_recordset(${p.cellsNew})
    as c(plan uuid, metric uuid, "window" text, value numeric, state jsonb, at timestamptz)
    on c.plan = ok.plan
  on conflict (user_id, metric_id, window_key)
  do update set value = excluded.value, state = excluded.state, updated_at = excluded.updated_at
), members_added as (
  insert into "metric_distinct_members" (user_id, metric_id, window_key, member)
  select ok."user", m.metric, m."window", m.member
  from ok join jsonb_to_recordset(${p.membersAdded}) as m(plan uuid, metric uuid, "window" text, member text)
    on m.plan = ok.plan
  on conflict do nothing
), ua_updated as (
  update "user_achievements" ua set
    progress = r.progress, completed_at = case when r.completed then r."completedAt" end,
    points_awarded = r.points, triggering_event_id = case when r.completed then ok.event end,
    granted_by_id = case when r.completed then r."grantedBy" end, updated_at = r.at
  from ok join jsonb_to_recordset(${p.rowsStored})
    as r(plan uuid, "user" uuid, achievement uuid, period text, progress smallint, completed boolean, points int,
         "grantedBy" uuid, "completedAt" timestamptz, at timestamptz)
    on r.plan = ok.plan
  -- (The user from the row itself: each row then found by its whole key, whatever the join order.)
  where ua.user_id = r."user" and ua.achievement_id = r.achievement and ua.period_key = r.period
    and ua.completed_at is null
  returning ua.*
), ua_inserted as (
  insert into "user_achievements" (organization_id, user_id, achievement_id, period_key, progress,
                                   completed_at, points_awarded, triggering_event_id, granted_by_id, updated_at)
  select ok.organization, ok."user", r.achievement, r.period, r.progress,
         case when r.completed then r."completedAt" end, r.points,
         case when r.completed then ok.event end, case when r.completed then r."grantedBy" end, r.at
  from ok join jsonb_to_recordset(${p.rowsNew})
    as r(plan uuid, achievement uuid, period text, progress smallint, completed boolean, points int,
         "grantedBy" uuid, "completedAt" timestamptz, at timestamptz)
    on r.plan = ok.plan
  on conflict (user_id, achievement_id, period_key) do update set
    progress = excluded.progress, completed_at = excluded.completed_at,
    points_awarded = excluded.points_awarded, triggering_event_id = excluded.triggering_event_id,
    granted_by_id = excluded.granted_by_id, updated_at = excluded.updated_at
  where "user_achievements".completed_at is null
  returning *
), ua as (
  select * from ua_updated union all select * from ua_inserted
), awarded as (
  select ok.plan, ua.* from ua join ok on ok."user" = ua.user_id where ua.completed_at is not null
), ledger as (
  insert into "reward_ledger" (organization_id, user_id, user_achievement_id, consumable_id, type,
                               quantity, unit_value, description)
  select aw.organization_id, aw.user_id, aw.id, l.consumable, l.type::consumable_type, l.quantity, l."unitValue",
         l.description
  from jsonb_to_recordset(${p.ledger})
    as l(plan uuid, achievement uuid, period text, consumable uuid, type text, quantity int, "unitValue" numeric,
         description text)
  join awarded aw on aw.plan = l.plan and aw.achievement_id = l.achievement and aw.period_key = l.period
  on conflict do nothing
), notes as (
  insert into "notifications" (organization_id, user_id, type, title, body, data, user_achievement_id)
  select aw.organization_id, aw.user_id, n.type, n.title, n.body, n.data, aw.id
  from jsonb_to_recordset(${p.notifications})
    as n(plan uuid, achievement uuid, period text, type text, title text, body text, data jsonb)
  join awarded aw on aw.plan = n.plan and aw.achievement_id = n.achievement and aw.period_key = n.period
  on conflict do nothing
), earned as (
  insert into "events" (organization_id, user_id, type, value, attributes, occurred_at, source, idempotency_key)
  select aw.organization_id, aw.user_id, x.type, aw.points_awarded, x.attributes, x."occurredAt", 'system',
         'award:' || aw.id
  from jsonb_to_recordset(${p.earned})
    as x(plan uuid, achievement uuid, period text, type text, attributes jsonb, "occurredAt" timestamptz)
  join awarded aw on aw.plan = x.plan and aw.achievement_id = x.achievement and aw.period_key = x.period
), told as (
  insert into "outbox" (organization_id, user_id, type, payload, occurred_at)
  select ok.organization, ok."user", m.type,
         case when m.achievement is null then m.payload
              else m.payload || jsonb_build_object('userAchievementId', aw.id, 'triggeringEventId', aw.triggering_event_id)
         end,
         m."occurredAt"
  from jsonb_to_recordset(${p.messages})
    as m(plan uuid, achievement uuid, period text, type text, payload jsonb, "occurredAt" timestamptz)
  join ok on ok.plan = m.plan
  left join awarded aw on aw.plan = m.plan and aw.achievement_id = m.achievement and aw.period_key = m.period
  where m.achievement is null or aw.id is not null
)
select
  (select coalesce(jsonb_agg(guard.plan), '[]') from guard) as guarded,
  (select coalesce(jsonb_agg(to_jsonb(ev)), '[]') from ev) as events,
  (select coalesce(jsonb_agg(to_jsonb(awarded)), '[]') from awarded) as awards,
  laurel_assert(not exists (
    select from jsonb_to_recordset(${p.awardCounts}) as x(plan uuid, awards int) join ok on ok.plan = x.plan
    where x.awards <> (select count(*) from awarded aw where aw.plan = x.plan)), 'PLAN_FAILED') as checked`,
});

/**
 * What rebuilt windows no longer count (a correction, a metric's backfill): members, and the cells of a
 * metric rebuilt whole that no event falls in any more, deleted by key. Only rebuilds remove them, and
 * they run under the users' locks in the caller's transaction, just before the write (`writePlans`), so
 * the two commit or roll back together. Not prepared: rare, and planned for the rows it is given.
 */
export const FORGET = defineStatement({
  name: "scoring.forget",
  params: {
    members: param.jsonRows(
      z.object({ user: z.string(), metric: z.string(), window: z.string(), member: z.string() }),
    ),
    cells: param.jsonRows(z.object({ user: z.string(), metric: z.string(), window: z.string() })),
  },
  row: z.object({}),
  text: (p) => `
with members as (
  delete from "metric_distinct_members" dm
  using jsonb_to_recordset(${p.members}) as m("user" uuid, metric uuid, "window" text, member text)
  where dm.user_id = m."user" and dm.metric_id = m.metric and dm.window_key = m."window" and dm.member = m.member
)
delete from "metric_values" mv
using jsonb_to_recordset(${p.cells}) as c("user" uuid, metric uuid, "window" text)
where mv.user_id = c."user" and mv.metric_id = c.metric and mv.window_key = c."window"`,
});
