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
  const milestones = sql.join(
    MILESTONES.map((m) => sql`${m}`),
    sql`, `,
  );
  const rows = await rowsOf<FactsRow>(
    db.execute(sql`
      -- Wrapped: one row of yearly facts per user of the batch.
      with target(user_id) as (select unnest(array[${sql.join(
        userIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}])),
      -- The year's activities, each user's in time order, in one sort: numbered (the first, the milestones),
      -- and, since local days follow time, with the gap in days to the previous one; a running count of
      -- gaps over a day numbers the user's streaks (gaps and islands). Everything below only hashes.
      acts as (
        select user_id, local_day, duration_minutes, contact_ref, slug, n,
               sum(case when gap is null or gap > 1 then 1 else 0 end)
                 over (partition by user_id order by occurred_at rows unbounded preceding) as island
        from (
          select user_id, occurred_at, local_day, duration_minutes, contact_ref, slug,
                 row_number() over w as n, local_day - lag(local_day) over w as gap
          from (
            select a.user_id, a.occurred_at, (a.occurred_at at time zone ${tz})::date as local_day,
                   a.duration_minutes, a.contact_ref, t.slug
            from activities a join activity_types t on t.id = a.activity_type_id
            where a.user_id in ${users} and a.organization_id = ${tenant.id} and a.deleted_at is null
              and a.occurred_at >= ${start} and a.occurred_at < ${end}
          ) year_activities
          window w as (partition by user_id order by occurred_at)
        ) numbered
      ),
      totals as (
        select user_id, count(*)::int as n, coalesce(sum(duration_minutes), 0)::int as minutes,
               min(local_day) filter (where n = 1) as first_day, min(slug) filter (where n = 1) as first_type,
               max(n) filter (where n in (${milestones})) as milestone,
               max(local_day) filter (where n in (${milestones})) as milestone_day
        from acts group by user_id
      ),
      contacts as (
        select user_id, count(*)::int as n
        from (select distinct user_id, contact_ref from acts where contact_ref is not null) c group by user_id
      ),
      -- "The most, and of those the earliest day" as one number to take the max of, so no sort:
      -- quantity * 10^6 + (999999 - days since 2000).
      streaks as (
        select user_id, max(local_day) - min(local_day) + 1 as len, max(local_day) as ends
        from acts group by user_id, island
      ),
      longest as (
        select user_id, max(len::bigint * 1000000 + (999999 - (ends - date '2000-01-01'))) as k
        from streaks group by user_id
      ),
      days as (select user_id, local_day, count(*) as c from acts group by 1, 2),
      busiest as (
        select user_id, max(c * 1000000 + (999999 - (local_day - date '2000-01-01'))) as k
        from days group by user_id
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
             coalesce(tot.n, 0) as activities, coalesce(tot.minutes, 0) as minutes, coalesce(co.n, 0) as contacts,
             coalesce(att.n, 0) as events_attended, coalesce(b.n, 0) as badges, coalesce(b.points, 0) as points,
             ty.slug as top_type, mo.counts as monthly,
             (l.k / 1000000)::int as streak_days,
             to_char(date '2000-01-01' + (999999 - l.k % 1000000)::int, 'YYYY-MM-DD') as streak_ends,
             to_char(date '2000-01-01' + (999999 - bu.k % 1000000)::int, 'YYYY-MM-DD') as busiest_day,
             (bu.k / 1000000)::int as busiest_count,
             to_char(tot.first_day, 'YYYY-MM-DD') as first_day, tot.first_type,
             tot.milestone::int as milestone, to_char(tot.milestone_day, 'YYYY-MM-DD') as milestone_day,
             b.first_name as first_badge, to_char(b.first_day, 'YYYY-MM-DD') as first_badge_day
      from target t
      left join totals tot on tot.user_id = t.user_id
      left join contacts co on co.user_id = t.user_id
      left join monthly mo on mo.user_id = t.user_id
      left join types ty on ty.user_id = t.user_id and ty.rn = 1
      left join longest l on l.user_id = t.user_id
      left join busiest bu on bu.user_id = t.user_id
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
