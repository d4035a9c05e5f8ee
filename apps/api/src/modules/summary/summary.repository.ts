import { type Executor, rowsOf } from "@laurel/db";
import { type AdvantageTotals, MILESTONES, type YearFacts, yearRange } from "@laurel/engine";
import { sql } from "drizzle-orm";

export type Tenant = { id: string; timeZone: string };

type FactsRow = {
  user_id: string;
  activities: number;
  minutes: number;
  contacts: number;
  events_attended: number;
  badges: number;
  points: number;
  top_type: string | null;
  monthly: number[] | null;
  streak_days: number | null;
  streak_ends: string | null;
  busiest_day: string | null;
  busiest_count: number | null;
  first_day: string | null;
  first_type: string | null;
  milestone: number | null;
  milestone_day: string | null;
  first_badge: string | null;
  first_badge_day: string | null;
};

/**
 * Everything Wrapped needs for a batch of users and one year, in one set-based statement: totals,
 * months, the top activity type, the longest streak (gaps and islands over local days), the busiest
 * day, the first activity, the round-number milestone, events attended and badges earned. Days and
 * months are the organization's, never UTC.
 */
export async function yearFacts(db: Executor, tenant: Tenant, year: number, userIds: readonly string[]) {
  const range = yearRange(year, tenant.timeZone);
  // Raw parameters go to the driver as they are: instants as ISO strings, which both drivers take.
  const start = sql`${range.start.toISOString()}::timestamptz`;
  const end = sql`${range.end.toISOString()}::timestamptz`;
  const users = sql`(${sql.join(
    userIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const tz = tenant.timeZone;
  const rows = await rowsOf<FactsRow>(
    db.execute(sql`
      -- Wrapped: one row of yearly facts per user of the batch.
      with target(user_id) as (select unnest(array[${sql.join(
        userIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}])),
      acts as (
        select a.user_id, a.occurred_at, (a.occurred_at at time zone ${tz})::date as local_day,
               a.duration_minutes, a.contact_ref, t.slug
        from activities a join activity_types t on t.id = a.activity_type_id
        where a.user_id in ${users} and a.organization_id = ${tenant.id} and a.deleted_at is null
          and a.occurred_at >= ${start} and a.occurred_at < ${end}
      ),
      totals as (
        select user_id, count(*)::int as n, coalesce(sum(duration_minutes), 0)::int as minutes,
               count(distinct contact_ref)::int as contacts
        from acts group by user_id
      ),
      months as (select user_id, extract(month from local_day)::int as m, count(*)::int as c from acts group by 1, 2),
      monthly as (
        select t.user_id, json_agg(coalesce(mo.c, 0) order by gs.m) as counts
        from target t cross join generate_series(1, 12) as gs(m)
        left join months mo on mo.user_id = t.user_id and mo.m = gs.m
        group by t.user_id
      ),
      types as (
        select user_id, slug, row_number() over (partition by user_id order by count(*) desc, slug) as rn
        from acts group by user_id, slug
      ),
      days as (select user_id, local_day, count(*)::int as c from acts group by 1, 2),
      busiest as (select distinct on (user_id) user_id, local_day, c from days order by user_id, c desc, local_day),
      islands as (
        select user_id, local_day, local_day - (row_number() over (partition by user_id order by local_day))::int as grp
        from days
      ),
      streaks as (select user_id, count(*)::int as len, max(local_day) as ends from islands group by user_id, grp),
      longest as (select distinct on (user_id) user_id, len, ends from streaks order by user_id, len desc, ends),
      firsts as (select distinct on (user_id) user_id, local_day, slug from acts order by user_id, occurred_at),
      ranked as (select user_id, local_day, row_number() over (partition by user_id order by occurred_at) as n from acts),
      milestone as (
        select distinct on (user_id) user_id, n, local_day from ranked
        where n in (${sql.join(
          MILESTONES.map((m) => sql`${m}`),
          sql`, `,
        )})
        order by user_id, n desc
      ),
      attended as (
        select user_id, count(*)::int as n from event_attendances
        where user_id in ${users} and deleted_at is null and attended_at >= ${start} and attended_at < ${end}
        group by user_id
      ),
      badges as (
        select ua.user_id, count(*)::int as n, coalesce(sum(ua.points_awarded), 0)::int as points,
               (array_agg(a.name order by ua.completed_at))[1] as first_name,
               (min(ua.completed_at) at time zone ${tz})::date as first_day
        from user_achievements ua join achievements a on a.id = ua.achievement_id
        where ua.user_id in ${users} and ua.completed_at >= ${start} and ua.completed_at < ${end}
        group by ua.user_id
      )
      select t.user_id,
             coalesce(tot.n, 0) as activities, coalesce(tot.minutes, 0) as minutes, coalesce(tot.contacts, 0) as contacts,
             coalesce(att.n, 0) as events_attended, coalesce(b.n, 0) as badges, coalesce(b.points, 0) as points,
             ty.slug as top_type, mo.counts as monthly,
             l.len as streak_days, to_char(l.ends, 'YYYY-MM-DD') as streak_ends,
             to_char(bu.local_day, 'YYYY-MM-DD') as busiest_day, bu.c as busiest_count,
             to_char(f.local_day, 'YYYY-MM-DD') as first_day, f.slug as first_type,
             mi.n::int as milestone, to_char(mi.local_day, 'YYYY-MM-DD') as milestone_day,
             b.first_name as first_badge, to_char(b.first_day, 'YYYY-MM-DD') as first_badge_day
      from target t
      left join totals tot on tot.user_id = t.user_id
      left join monthly mo on mo.user_id = t.user_id
      left join types ty on ty.user_id = t.user_id and ty.rn = 1
      left join longest l on l.user_id = t.user_id
      left join busiest bu on bu.user_id = t.user_id
      left join firsts f on f.user_id = t.user_id
      left join milestone mi on mi.user_id = t.user_id
      left join attended att on att.user_id = t.user_id
      left join badges b on b.user_id = t.user_id`),
  );
  const facts = new Map<string, YearFacts & { points: number }>();
  for (const r of rows) {
    facts.set(r.user_id, {
      totalActivities: r.activities,
      totalMinutes: r.minutes,
      totalContacts: r.contacts,
      totalEventsAttended: r.events_attended,
      badgesEarned: r.badges,
      points: r.points,
      topActivityType: r.top_type,
      monthlyCounts: r.monthly ?? [],
      longestStreak: r.streak_days && r.streak_ends ? { days: r.streak_days, endsOn: r.streak_ends } : null,
      busiestDay: r.busiest_day && r.busiest_count ? { date: r.busiest_day, count: r.busiest_count } : null,
      firstActivity: r.first_day && r.first_type ? { date: r.first_day, activityType: r.first_type } : null,
      milestone: r.milestone && r.milestone_day ? { count: r.milestone, date: r.milestone_day } : null,
      firstBadge:
        r.first_badge && r.first_badge_day ? { name: r.first_badge, date: r.first_badge_day } : null,
    });
  }
  return facts;
}

/** The advantage calculator's totals are a subset of Wrapped's facts. */
export function totalsOf(facts: YearFacts & { points: number }): AdvantageTotals {
  return {
    activities: facts.totalActivities,
    hours: Math.round((facts.totalMinutes / 60) * 100) / 100,
    contacts: facts.totalContacts,
    points: facts.points,
  };
}
