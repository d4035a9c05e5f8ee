import { type Executor, idArray, rowsOf } from "@laurel/db";
import { type AdvantageTotals, MILESTONES, type YearFacts, yearRange } from "@laurel/engine";
import { sql } from "drizzle-orm";
import { visibleToEveryone } from "./visibility.js";
import type { Tenant } from "./model.js";

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
  first_badge_id: string | null;
  first_badge_day: string | null;
};

/** Days since 2000-01-01, for "the most, and of those the earliest day" encoded as one number. */
const DAY = sql.raw(`(local_day - date '2000-01-01')`);
/** The largest milestone a day's running count has reached, as one CASE (no per-row subquery). */
const REACHED = sql.raw(
  `case ${[...MILESTONES]
    .reverse()
    .map((m) => `when running >= ${m} then ${m}`)
    .join(" ")} end`,
);

/**
 * Everything Wrapped needs for a batch of users and one year, in one set-based statement: totals,
 * months, the top activity type, the longest streak, the busiest day, the first activity, the
 * round-number milestone, events attended and badges earned. Days and months are the organization's,
 * never UTC.
 *
 * Built for a whole organization's year taken a batch at a time (P4 in `pnpm bench`): the batch's
 * activities come from one index (`activities_user_year_idx`, which holds every column read here) in
 * user and time order, so no heap page is visited and only one user's rows are ever sorted together.
 * They are folded once to one row per user and local day, and one pass over those days gives all but
 * contacts and types; each CTE is read once, so none is materialized.
 */
// eslint-disable-next-line max-lines-per-function -- one SQL statement (Wrapped's facts), read as a whole
export async function yearFacts(db: Executor, tenant: Tenant, year: number, userIds: readonly string[]) {
  const range = yearRange(year, tenant.timeZone);
  // Raw parameters go to the driver as they are: instants as ISO strings, which both drivers take.
  const start = sql`${range.start.toISOString()}::timestamptz`;
  const end = sql`${range.end.toISOString()}::timestamptz`;
  // The batch as one array parameter: one thing to parse and plan, however many users.
  const users = sql`${idArray(userIds)}::uuid[]`;
  const tz = tenant.timeZone;
  const named = visibleToEveryone(tenant);
  const rows = await rowsOf<FactsRow>(
    db.execute(sql`
      -- Wrapped: one row of yearly facts per user of the batch.
      -- The batch's users, of this tenant only: an activity's tenant is its user's (a composite key).
      with target(user_id) as (
        select id from users where id = any(${users}) and organization_id = ${tenant.id}
      ),
      acts as not materialized (
        select user_id, occurred_at, duration_minutes, contact_ref, activity_type_id
        from activities
        where user_id = any(${users}) and deleted_at is null and occurred_at >= ${start} and occurred_at < ${end}
      ),
      -- One row per user and local day; numbered in day order, a day's running count gives the
      -- milestone, and the day minus its rank numbers the user's streaks (gaps and islands), whose
      -- running length is the streak so far. Days are already in order: the sorts are per user.
      days as (
        select user_id, local_day, c, minutes, m, running,
               count(*) over (partition by user_id, island order by local_day) as streak
        from (
          select user_id, local_day, c, minutes, extract(month from local_day)::int as m,
                 sum(c) over w as running, local_day - (row_number() over w)::int as island
          from (
            select user_id, (occurred_at at time zone ${tz})::date as local_day, count(*) as c,
                   sum(duration_minutes) as minutes
            from acts group by 1, 2
          ) d
          window w as (partition by user_id order by local_day)
        ) numbered
      ),
      -- "The most, and of those the earliest day" as one number to take the max of, so no sort:
      -- quantity * 10^6 + (999999 - days since 2000). A streak's length peaks on its last day.
      totals as (
        select user_id, sum(c)::int as n, sum(minutes)::int as minutes, min(local_day) as first_day,
               json_build_array(${sql.join(
                 Array.from({ length: 12 }, (_, i) =>
                   sql.raw(`coalesce(sum(c) filter (where m = ${i + 1}), 0)`),
                 ),
                 sql`, `,
               )}) as monthly,
               max(c * 1000000 + (999999 - ${DAY})) as busiest,
               max(streak * 1000000 + (999999 - ${DAY})) as longest,
               max((${REACHED})::bigint * 1000000 + (999999 - ${DAY})) as milestone
        from days group by user_id
      ),
      contacts as (
        select user_id, count(*)::int as n
        from (select distinct user_id, contact_ref from acts where contact_ref is not null) c group by user_id
      ),
      types as (
        select c.user_id, t.slug, row_number() over (partition by c.user_id order by c.n desc, t.slug) as rn
        from (select user_id, activity_type_id, count(*) as n from acts group by 1, 2) c
        join activity_types t on t.id = c.activity_type_id
      ),
      attended as (
        select user_id, count(*)::int as n from event_attendances
        where user_id = any(${users}) and deleted_at is null and attended_at >= ${start} and attended_at < ${end}
        group by user_id
      ),
      badges as (
        select ua.user_id, count(*)::int as n, coalesce(sum(ua.points_awarded), 0)::int as points,
               -- Named in the story only when every reader of the summary may see it (visibility.ts): API
               -- keys read it too, and never see a hidden achievement, nor anyone but admins an inactive one.
               (array_agg(achievements.name order by ua.completed_at) filter (where ${named}))[1] as first_name,
               (array_agg(achievements.id order by ua.completed_at) filter (where ${named}))[1] as first_id,
               (min(ua.completed_at) filter (where ${named}) at time zone ${tz})::date as first_day
        from user_achievements ua join achievements on achievements.id = ua.achievement_id
        where ua.user_id = any(${users}) and ua.completed_at >= ${start} and ua.completed_at < ${end}
        group by ua.user_id
      )
      select t.user_id,
             coalesce(tot.n, 0) as activities, coalesce(tot.minutes, 0) as minutes, coalesce(co.n, 0) as contacts,
             coalesce(att.n, 0) as events_attended, coalesce(b.n, 0) as badges, coalesce(b.points, 0) as points,
             ty.slug as top_type, coalesce(tot.monthly, json_build_array(${sql.raw(Array(12).fill(0).join(", "))})) as monthly,
             (tot.longest / 1000000)::int as streak_days,
             to_char(date '2000-01-01' + (999999 - tot.longest % 1000000)::int, 'YYYY-MM-DD') as streak_ends,
             to_char(date '2000-01-01' + (999999 - tot.busiest % 1000000)::int, 'YYYY-MM-DD') as busiest_day,
             (tot.busiest / 1000000)::int as busiest_count,
             to_char(tot.first_day, 'YYYY-MM-DD') as first_day, first.slug as first_type,
             (tot.milestone / 1000000)::int as milestone,
             to_char(date '2000-01-01' + (999999 - tot.milestone % 1000000)::int, 'YYYY-MM-DD') as milestone_day,
             b.first_name as first_badge, b.first_id as first_badge_id, to_char(b.first_day, 'YYYY-MM-DD') as first_badge_day
      from target t
      left join totals tot on tot.user_id = t.user_id
      -- The first activity's type: one index probe per user that has one.
      left join lateral (
        select ft.slug from activities a join activity_types ft on ft.id = a.activity_type_id
        where a.user_id = t.user_id and a.deleted_at is null and a.occurred_at >= ${start} and a.occurred_at < ${end}
        order by a.occurred_at, a.id limit 1
      ) first on true
      left join contacts co on co.user_id = t.user_id
      left join types ty on ty.user_id = t.user_id and ty.rn = 1
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
        r.first_badge && r.first_badge_day && r.first_badge_id
          ? { name: r.first_badge, date: r.first_badge_day, achievementId: r.first_badge_id }
          : null,
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
