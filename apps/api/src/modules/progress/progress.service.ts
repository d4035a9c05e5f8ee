import { schema } from "@laurel/db";
import { type Comparator, periodKey, progressOf, type RepeatPeriod, windowKey } from "@laurel/engine";
import { and, count, desc, eq, inArray, isNotNull, isNull, not, type SQL, sql } from "drizzle-orm";
import type { Context } from "../../context.js";
import { Forbidden, invalid, NotFound } from "../../errors.js";
import { countRows, selectPage } from "../../lib/crud.js";
import { getAchievement, getUser, tenantOf, type UserRow } from "../../lib/directory.js";
import { servedLink } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { ownRows, requireUser } from "../../lib/tenancy.js";
import { availableTo, notExpired } from "../../scoring/catalog.js";
import type { Award, Tenant } from "../../scoring/model.js";
import { scoreLocked } from "../../scoring/pipeline.js";
import {
  achievementsVisibleTo,
  type Audience,
  audienceAbout,
  earner,
  ofVisibleAchievement,
  ofVisibleAward,
} from "../../scoring/visibility.js";
import { lockUser } from "../../scoring/locks.js";
import { type Badge, BadgeState } from "./progress.type.js";

const { achievements, userAchievements, notifications, rewardLedger } = schema;

type RuleJson = {
  name: string;
  metricKey: string;
  window: string;
  comparator: Comparator;
  target: number;
  weight: number;
  value: number;
};
type AwardJson = { periodKey: string; progress: number; completedAt: string | null };

/** The window key "now" falls in, for each metric row `m`, so the SQL picks each rule's current value. */
function currentWindowKey(now: Date, timeZone: string): SQL {
  return sql`case m."window"
    when 'all_time' then 'all'
    when 'calendar_year' then ${windowKey("calendar_year", now, timeZone)}
    when 'calendar_month' then ${windowKey("calendar_month", now, timeZone)}
    else ${windowKey("calendar_week", now, timeZone)} end`;
}

/**
 * A user's badge catalog in one SQL statement, whatever the number of achievements: each achievement
 * with its rules and the user's current metric values, the user's awards, and how many participants
 * earned it. Progress is computed from the values, so a new achievement shows true progress at once.
 * `audience` says which achievements the caller may see (visibility.ts); the catalog is the user's
 * organization's either way.
 */
export async function badgesOf(
  ctx: Context,
  user: Pick<UserRow, "id" | "organizationId">,
  audience: Audience,
): Promise<Badge[]> {
  const tenant = await tenantOf(ctx, user.organizationId);
  const rows = await catalogRows(ctx, tenant, user.id, audience);
  return rows.flatMap((row) => badgeOf(ctx, row, tenant.timeZone) ?? []);
}

type CatalogRow = Awaited<ReturnType<typeof catalogRows>>[number];

/** One statement: the achievements of the tenant, and per achievement correlated subqueries. */
function catalogRows(ctx: Context, tenant: Tenant, userId: string, audience: Audience) {
  const a = sql.raw(`"achievements"`);
  const value = sql`coalesce((select mv.value from metric_values mv
    where mv.user_id = ${userId} and mv.metric_id = m.id and mv.window_key = ${currentWindowKey(ctx.now, tenant.timeZone)}), 0)::float8`;
  return ctx.db
    .select({
      achievement: achievements,
      rules: sql<RuleJson[] | null>`(
        select json_agg(json_build_object('name', r.name, 'metricKey', m.key, 'window', m."window", 'comparator', r.comparator,
          'target', r.target::float8, 'weight', r.weight, 'value', ${value}) order by r.weight desc, r.name)
        from achievement_rule_links l
        join achievement_rules r on r.id = l.rule_id
        join metric_definitions m on m.id = r.metric_id
        where l.achievement_id = ${a}.id)`,
      triggerRule: sql<RuleJson | null>`(
        select json_build_object('name', ${a}.name, 'metricKey', m.key, 'window', m."window", 'comparator', 'gte',
          'target', ${a}.trigger_threshold::float8, 'weight', 100, 'value', ${value})
        from metric_definitions m
        where m.id = ${a}.trigger_metric_id and ${a}.trigger_threshold is not null)`,
      awards: sql<AwardJson[] | null>`(
        select json_agg(json_build_object('periodKey', ua.period_key, 'progress', ua.progress, 'completedAt', ua.completed_at)
          order by ua.completed_at)
        from user_achievements ua where ua.user_id = ${userId} and ua.achievement_id = ${a}.id)`,
      earnedBy: sql<number>`(
        select count(distinct e.user_id)::int from user_achievements e
        where e.achievement_id = ${a}.id and e.organization_id = ${tenant.id} and e.completed_at is not null)`,
      participants: sql<number>`(
        select count(*)::int from users p join roles pr on pr.id = p.role_id
        where p.organization_id = ${tenant.id} and pr.is_participant and p.is_active)`,
    })
    .from(achievements)
    .where(and(availableTo(tenant), achievementsVisibleTo(ctx, audience)))
    .orderBy(achievements.category, achievements.sortOrder, achievements.name);
}

/** A catalog row as the user's badge, its progress from the current values; none when expired unearned. */
function badgeOf(ctx: Context, row: CatalogRow, timeZone: string): Badge | undefined {
  const a = row.achievement;
  const period = periodKey(a.repeatPeriod as RepeatPeriod | null, ctx.now, timeZone);
  const awards = row.awards ?? [];
  const earned = awards.filter((w) => w.completedAt);
  const current = awards.find((w) => w.periodKey === period);
  const earnedNow = Boolean(current?.completedAt);
  const expired = a.expiresAt !== null && a.expiresAt <= ctx.now;
  if (expired && earned.length === 0) return undefined;
  const ruleList = row.triggerRule ? [row.triggerRule] : (row.rules ?? []);
  const progress = earnedNow
    ? 100
    : ruleList.length
      ? progressOf(ruleList).progress
      : (current?.progress ?? 0);
  const lastEarned = earned.at(-1)?.completedAt;
  return {
    achievementId: a.id,
    key: a.key,
    name: a.name,
    description: a.description,
    iconUrl: servedLink(a.iconUrl, ctx.app.env.production),
    category: a.category,
    sortOrder: a.sortOrder,
    points: a.points,
    isMystery: false,
    isRepeatable: a.isRepeatable,
    repeatPeriod: a.repeatPeriod,
    expiresAt: a.expiresAt,
    state: earnedNow ? BadgeState.EARNED : progress > 0 ? BadgeState.IN_PROGRESS : BadgeState.LOCKED,
    progress,
    periodKey: period,
    earnedAt: lastEarned ? new Date(lastEarned) : null,
    timesEarned: earned.length,
    rarity: row.participants > 0 ? Math.min(1, row.earnedBy / row.participants) : 0,
    rules: ruleList.map(ruleOf),
  };
}

/** One rule of a badge with the user's value, and whether it holds or what is left. */
function ruleOf(r: RuleJson) {
  const p = progressOf([r]).rules[0]!;
  return {
    name: r.name,
    metricKey: r.metricKey,
    comparator: r.comparator,
    target: r.target,
    value: r.value,
    weight: r.weight,
    holds: p.holds,
    remaining: p.remaining,
  };
}

/** Your own catalog, whatever your role: what you could earn or have earned, hidden ones once earned. */
export async function myBadges(ctx: Context) {
  const viewer = requireUser(ctx);
  const tenant = await tenantOf(ctx, viewer.organizationId);
  return badgesOf(ctx, { id: viewer.userId, organizationId: tenant.id }, earner(tenant, viewer.userId));
}

/**
 * A user's progress: every badge for keepers of the catalog, hidden ones revealed; for anyone else the
 * user's own badge catalog, hidden ones only once that user earned them (audienceAbout).
 */
export async function userProgress(ctx: Context, userId: string) {
  const user = await getUser(ctx, userId);
  return badgesOf(ctx, user, await audienceAbout(ctx, user.id));
}

export async function myNotifications(ctx: Context, unreadOnly: boolean, limit: number) {
  const viewer = requireUser(ctx);
  if (limit < 1 || limit > 200) throw invalid("limit", "range", "limit must be 1 to 200");
  return ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, viewer.userId),
        unreadOnly ? isNull(notifications.readAt) : undefined,
        // A notification of an award names its achievement: gone with the achievement's visibility.
        await ofVisibleAward(ctx, notifications.userAchievementId),
      ),
    )
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

/** Marks the viewer's notifications read (the given ones, or all); returns how many changed. */
export async function markNotificationsRead(ctx: Context, ids: string[] | undefined) {
  const viewer = requireUser(ctx);
  const changed = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now })
    .where(
      and(
        eq(notifications.userId, viewer.userId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return changed.length;
}

export async function standingOf(ctx: Context, user: Pick<UserRow, "id" | "organizationId">) {
  const userId = user.id;
  const [totals] = await ctx.db
    .select({
      points: sql<number>`coalesce(sum(${userAchievements.pointsAwarded}), 0)::int`,
      badges: sql<number>`count(*)::int`,
    })
    .from(userAchievements)
    .where(and(eq(userAchievements.userId, userId), isNotNull(userAchievements.completedAt)));
  const rewards = await ctx.db
    .select()
    .from(rewardLedger)
    // A reward's line names the achievement it came with.
    .where(and(eq(rewardLedger.userId, userId), await ofVisibleAward(ctx, rewardLedger.userAchievementId)))
    .orderBy(desc(rewardLedger.createdAt));
  return {
    points: totals?.points ?? 0,
    badgesEarned: totals?.badges ?? 0,
    rewards,
    user: { id: user.id, organizationId: user.organizationId },
  };
}

export function myStanding(ctx: Context) {
  const viewer = requireUser(ctx);
  return standingOf(ctx, { id: viewer.userId, organizationId: viewer.organizationId });
}

export async function userStanding(ctx: Context, userId: string) {
  return standingOf(ctx, await getUser(ctx, userId));
}

/**
 * How many hidden badges the user could still earn: their details stay hidden until earned, the count
 * does not (so the badges screen can say some are left to discover).
 */
export async function hiddenRemaining(ctx: Context, user: Pick<UserRow, "id" | "organizationId">) {
  if (!user.organizationId) return 0;
  const tenant = await tenantOf(ctx, user.organizationId);
  const [row] = await ctx.db
    .select({ n: count() })
    .from(achievements)
    .where(
      and(
        availableTo(tenant),
        notExpired(ctx.now),
        eq(achievements.isHidden, true),
        not(achievementsVisibleTo(ctx, earner(tenant, user.id))!),
      ),
    );
  return Number(row?.n ?? 0);
}

/**
 * A manual grant by someone with `grant:achievements`: once per period, like any award, with its
 * rewards and notification. The annual Wrapped badge is the job's to award.
 */
export async function grantAchievement(ctx: Context, userId: string, achievementId: string): Promise<Award> {
  const granter = requireUser(ctx);
  const user = await getUser(ctx, userId);
  const achievement = await getAchievement(ctx, achievementId);
  const tenant = await tenantOf(ctx, user.organizationId);
  if (achievement.organizationId !== null && achievement.organizationId !== tenant.id)
    throw new NotFound("Achievement", achievementId);
  if (achievement.triggerType === "annual_summary") {
    throw invalid(
      "achievementId",
      "annual_badge_annual_summary_link",
      "The annual badge is awarded when the year's Wrapped is ready",
    );
  }
  const [available] = await ctx.db
    .select({ id: achievements.id })
    .from(achievements)
    .where(and(eq(achievements.id, achievement.id), availableTo(tenant)));
  if (!available)
    throw invalid(
      "achievementId",
      "inactive_not_awarded",
      "Inactive achievements, and those of a module that is off, are not awarded",
    );
  const period = periodKey(achievement.repeatPeriod as RepeatPeriod | null, ctx.now, tenant.timeZone);
  const made = await ctx.db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, user.id);
    const [outcome] = await scoreLocked(
      tx,
      ctx.app.scoring.catalogs,
      tenant,
      [
        {
          userId: user.id,
          intent: { at: ctx.now, grants: [{ achievement, periodKey: period, grantedById: granter.userId }] },
        },
      ],
      ctx.now,
    );
    // Read under the user's lock, as the intake does for events: a deactivation cannot slip in between.
    if (outcome!.status === "inactive") throw new Forbidden("The user is deactivated");
    return outcome!.status === "written" ? outcome!.awards : [];
  });
  const award = made.find((a) => a.achievementId === achievement.id);
  if (!award)
    throw invalid(
      "achievementId",
      "one_time_per_user",
      "The user already holds this achievement for this period",
    );
  return award;
}

async function userAchievementsWhere(
  ctx: Context,
  filter: { userId?: string; achievementId?: string; completed?: boolean; ids?: string[] } = {},
) {
  return and(
    ownRows(ctx, userAchievements.organizationId),
    await ofVisibleAchievement(ctx, userAchievements.achievementId),
    filter.userId ? eq(userAchievements.userId, filter.userId) : undefined,
    filter.achievementId ? eq(userAchievements.achievementId, filter.achievementId) : undefined,
    filter.ids ? inArray(userAchievements.id, filter.ids) : undefined,
    filter.completed === true
      ? isNotNull(userAchievements.completedAt)
      : filter.completed === false
        ? isNull(userAchievements.completedAt)
        : undefined,
  );
}

const awardSortable = {
  id: userAchievements.id,
  progress: userAchievements.progress,
  completedAt: userAchievements.completedAt,
  updatedAt: userAchievements.updatedAt,
  createdAt: userAchievements.createdAt,
};

export const userAchievementList = {
  list: async (ctx: Context, args: ListArgs, filter?: Parameters<typeof userAchievementsWhere>[1]) =>
    selectPage(
      ctx.db,
      userAchievements,
      await userAchievementsWhere(ctx, filter),
      args,
      awardSortable,
      "updatedAt",
    ),
  count: async (ctx: Context, filter?: Parameters<typeof userAchievementsWhere>[1]) =>
    countRows(ctx.db, userAchievements, await userAchievementsWhere(ctx, filter)),
  async get(ctx: Context, id: string) {
    const [row] = await ctx.db
      .select()
      .from(userAchievements)
      .where(and(eq(userAchievements.id, id), await userAchievementsWhere(ctx)));
    if (!row) throw new NotFound("UserAchievement", id);
    return row;
  },
};
