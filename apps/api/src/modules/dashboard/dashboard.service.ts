import { schema } from "@laurel/db";
import { and, count, eq, gte, isNotNull, sql } from "drizzle-orm";
import type { Context } from "../../context.js";
import { invalid } from "../../errors.js";
import { ownRows, requireViewer } from "../../lib/tenancy.js";
import { visibleAchievements } from "../../scoring/visibility.js";
import type { AchievementCount, DashboardStats, WeeklyCount } from "./dashboard.type.js";

const { achievements, userAchievements, annualSummaries, backfillRuns } = schema;

const DAY = 86_400_000;
const RANKED = 5;

/** The Monday (UTC) of a date's week, as YYYY-MM-DD. */
function mondayOf(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

async function badgesPerWeek(ctx: Context, weeks: number): Promise<WeeklyCount[]> {
  const firstWeek = mondayOf(new Date(ctx.now.getTime() - (weeks - 1) * 7 * DAY));
  // Named: completed awards of the viewer's organization per ISO week (date_trunc weeks start on Monday).
  const week = sql<string>`to_char(date_trunc('week', ${userAchievements.completedAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await ctx.db
    .select({ week, count: count() })
    .from(userAchievements)
    .where(
      and(
        ownRows(ctx, userAchievements.organizationId),
        isNotNull(userAchievements.completedAt),
        gte(userAchievements.completedAt, new Date(`${firstWeek}T00:00:00Z`)),
      ),
    )
    .groupBy(week);
  const byWeek = new Map(rows.map((r) => [r.week, Number(r.count)]));
  return Array.from({ length: weeks }, (_, i) => {
    const weekStart = mondayOf(new Date(Date.parse(`${firstWeek}T00:00:00Z`) + i * 7 * DAY));
    return { weekStart, count: byWeek.get(weekStart) ?? 0 };
  });
}

async function earnedCounts(ctx: Context): Promise<AchievementCount[]> {
  const earned = ctx.db
    .select({ achievementId: userAchievements.achievementId, earned: count().as("earned") })
    .from(userAchievements)
    .where(and(ownRows(ctx, userAchievements.organizationId), isNotNull(userAchievements.completedAt)))
    .groupBy(userAchievements.achievementId)
    .as("earned");
  const rows = await ctx.db
    .select({ achievementId: achievements.id, name: achievements.name, earned: earned.earned })
    .from(achievements)
    .leftJoin(earned, eq(earned.achievementId, achievements.id))
    .where(and(await visibleAchievements(ctx), eq(achievements.isActive, true)));
  return rows.map((r) => ({ achievementId: r.achievementId, name: r.name, count: Number(r.earned ?? 0) }));
}

async function countWhere(
  ctx: Context,
  table: typeof annualSummaries | typeof backfillRuns,
  where: ReturnType<typeof and>,
) {
  const [row] = await ctx.db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Statistics of the viewer's organization (all organizations for a Global Administrator). */
export async function dashboardStats(ctx: Context, weeks: number): Promise<DashboardStats> {
  requireViewer(ctx);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) {
    throw invalid("weeks", "weeks_range", "weeks must be between 1 and 104");
  }
  const counts = await earnedCounts(ctx);
  const byName = (a: AchievementCount, b: AchievementCount) => a.name.localeCompare(b.name);
  const most = [...counts].sort((a, b) => b.count - a.count || byName(a, b)).slice(0, RANKED);
  const least = [...counts].sort((a, b) => a.count - b.count || byName(a, b)).slice(0, RANKED);
  const backfills = (status: "pending" | "running") =>
    countWhere(
      ctx,
      backfillRuns,
      and(ownRows(ctx, backfillRuns.organizationId), eq(backfillRuns.status, status)),
    );
  return {
    badgesPerWeek: await badgesPerWeek(ctx, weeks),
    mostEarned: most,
    leastEarned: least,
    pendingSummaries: await countWhere(
      ctx,
      annualSummaries,
      and(ownRows(ctx, annualSummaries.organizationId), eq(annualSummaries.generationStatus, "pending")),
    ),
    pendingBackfills: await backfills("pending"),
    runningBackfills: await backfills("running"),
  };
}
