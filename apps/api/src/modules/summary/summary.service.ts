import { schema } from "@laurel/db";
import { MAX_HIGHLIGHTS } from "@laurel/engine";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Context } from "../../context.js";
import { Forbidden, type Issue, invalid, NotFound } from "../../errors.js";
import { countRows, selectPage } from "../../lib/crud.js";
import { getRole, getUser, tenantOf, type UserRow } from "../../lib/directory.js";
import type { ListArgs } from "../../lib/list.js";
import { ownRows, requireUser } from "../../lib/tenancy.js";
import { audienceOf } from "../../scoring/visibility.js";
import { lockUser } from "../../scoring/locks.js";
import { currentYear, GAMIFICATION_MODULE } from "../../scoring/year-figures.js";
import { awardAnnualBadges, writeSummaries } from "./summary.generator.js";
import type { AnnualSummaryFilter } from "./summary.type.js";

const { annualSummaries } = schema;
export type SummaryRow = typeof annualSummaries.$inferSelect;

/** Seed 002's warning: more than five highlights (never blocking). */
export function summaryWarnings(row: SummaryRow): Issue[] {
  return (row.highlightMoments?.length ?? 0) > MAX_HIGHLIGHTS
    ? [
        {
          field: "highlightMoments",
          rule: "highlight_moments_max_five",
          message: "At most five highlight moments",
          severity: "warning",
        },
      ]
    : [];
}

/**
 * Who gets Wrapped, and for which year: peer mentors only (seed 002), while the organization has the
 * gamification module on, for a year from 2000 to the current one.
 */
async function wrappedSubject(ctx: Context, user: UserRow, year: number) {
  const role = await getRole(ctx, user.roleId);
  if (!role.isParticipant) {
    throw new Forbidden(
      "Annual summaries are made for peer mentors only",
      "only_peer_mentor_role_generates_summary",
    );
  }
  const tenant = await tenantOf(ctx, user.organizationId);
  if (!tenant.modules.includes(GAMIFICATION_MODULE)) {
    throw new Forbidden(
      "The organization has the achievements-gamification module off",
      "module_toggle_gate",
    );
  }
  const thisYear = currentYear(ctx.now, tenant.timeZone);
  if (!Number.isInteger(year) || year < 2000 || year > thisYear) {
    throw invalid("year", "year_range_valid", `year must be from 2000 to ${thisYear}`);
  }
  return { tenant, thisYear };
}

async function rowFor(ctx: Context, userId: string, year: number) {
  const [row] = await ctx.db
    .select()
    .from(annualSummaries)
    .where(and(eq(annualSummaries.userId, userId), eq(annualSummaries.year, year)));
  return row;
}

/**
 * A user's Wrapped for a year. The current year is a year-to-date preview, computed fresh. A finished
 * year is the stored summary; if it was never made or is pending, it is made now for this one user,
 * and its annual badge awarded.
 */
export async function summaryFor(ctx: Context, user: UserRow, year: number): Promise<SummaryRow> {
  const { tenant, thisYear } = await wrappedSubject(ctx, user, year);
  const existing = await rowFor(ctx, user.id, year);
  if (year === thisYear) {
    await ctx.db.transaction((tx) =>
      writeSummaries(tx, tenant, year, [user.id], { now: ctx.now, preview: true }),
    );
  } else if (!existing || existing.generationStatus === "pending" || existing.isPreview) {
    await ctx.db.transaction(async (tx) => {
      await lockUser(tx, tenant.id, user.id);
      if (!existing || existing.isPreview) {
        await tx
          .insert(annualSummaries)
          .values({ userId: user.id, organizationId: tenant.id, year, generationStatus: "pending" })
          .onConflictDoUpdate({
            target: [annualSummaries.userId, annualSummaries.year],
            set: { generationStatus: "pending", isPreview: false },
          });
      }
      const written = await writeSummaries(tx, tenant, year, [user.id], { now: ctx.now, preview: false });
      await awardAnnualBadges(tx, ctx.app.scoring, tenant, year, written, ctx.now);
    });
  }
  return (await rowFor(ctx, user.id, year))!;
}

export function myAnnualSummary(ctx: Context, year: number) {
  const viewer = requireUser(ctx);
  return getUser(ctx, viewer.userId).then((user) => summaryFor(ctx, user, year));
}

/** Seed 002's viewed_at: when the peer mentor first opened the summary. */
export async function markAnnualSummaryViewed(ctx: Context, year: number) {
  const summary = await myAnnualSummary(ctx, year);
  if (summary.viewedAt) return summary;
  const [row] = await ctx.db
    .update(annualSummaries)
    .set({ viewedAt: ctx.now })
    .where(eq(annualSummaries.id, summary.id))
    .returning();
  return row!;
}

/** An admin asks for a summary to be made again: pending now, ready after the job's next run. */
export async function requeueAnnualSummary(ctx: Context, userId: string, year: number) {
  const user = await getUser(ctx, userId);
  const { tenant, thisYear } = await wrappedSubject(ctx, user, year);
  if (year === thisYear) return summaryFor(ctx, user, year);
  const [row] = await ctx.db
    .insert(annualSummaries)
    .values({
      userId: user.id,
      organizationId: tenant.id,
      year,
      generationStatus: "pending",
      updatedAt: ctx.now,
    })
    .onConflictDoUpdate({
      target: [annualSummaries.userId, annualSummaries.year],
      set: {
        generationStatus: "pending",
        isPreview: false,
        attempts: 0,
        lastError: null,
        updatedAt: ctx.now,
      },
    })
    .returning();
  return row!;
}

function whereOf(ctx: Context, filter: AnnualSummaryFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, annualSummaries.organizationId),
    filter.userId ? eq(annualSummaries.userId, filter.userId) : undefined,
    filter.year ? eq(annualSummaries.year, filter.year) : undefined,
    filter.generationStatus
      ? eq(annualSummaries.generationStatus, filter.generationStatus as SummaryRow["generationStatus"])
      : undefined,
    typeof filter.isPreview === "boolean" ? eq(annualSummaries.isPreview, filter.isPreview) : undefined,
    filter.organizationId ? eq(annualSummaries.organizationId, filter.organizationId) : undefined,
    filter.ids ? inArray(annualSummaries.id, filter.ids) : undefined,
  );
}

const sortable = {
  id: annualSummaries.id,
  year: annualSummaries.year,
  totalActivities: annualSummaries.totalActivities,
  totalHours: annualSummaries.totalHours,
  generationStatus: annualSummaries.generationStatus,
  updatedAt: annualSummaries.updatedAt,
};

export const summaryList = {
  list: (ctx: Context, args: ListArgs, filter?: AnnualSummaryFilter) =>
    selectPage(
      ctx.db,
      annualSummaries,
      whereOf(ctx, filter),
      { sortOrder: "DESC", ...args },
      sortable,
      "year",
    ),
  count: (ctx: Context, filter?: AnnualSummaryFilter) =>
    countRows(ctx.db, annualSummaries, whereOf(ctx, filter)),
  async get(ctx: Context, id: string) {
    const [row] = await ctx.db
      .select()
      .from(annualSummaries)
      .where(and(eq(annualSummaries.id, id), whereOf(ctx)));
    if (!row) throw new NotFound("AnnualSummary", id);
    return row;
  },
};

/**
 * The story as the viewer may read it: a badge the viewer may not see (visibility.ts: deactivated, its
 * module turned off since the story was written) takes its moment with it. A badge moment written before
 * moments named their badge is kept for admins only.
 */
export async function visibleHighlights(ctx: Context, row: SummaryRow) {
  const moments = row.highlightMoments ?? [];
  if (!moments.some((m) => m.type === "badge_earned")) return moments;
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return moments;
  const seen = await Promise.all(
    moments.map((m) =>
      m.type !== "badge_earned"
        ? true
        : m.achievementId
          ? ctx.loaders.achievement.load(m.achievementId).then((a) => a !== null)
          : false,
    ),
  );
  return moments.filter((_, i) => seen[i]);
}
