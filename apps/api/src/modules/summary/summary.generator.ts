import { type Executor, excludedSet, jsonRows, rowsOf, schema } from "@laurel/db";
import { advantageOf, localDate, localDayKey, summaryOf, yearRange } from "@laurel/engine";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { availableTo, notExpired } from "../../scoring/catalog.js";
import type { Tenant } from "../../scoring/model.js";
import { scoreLocked } from "../../scoring/pipeline.js";
import type { Scoring } from "../../scoring/state.js";
import { totalsOf, yearFacts } from "./summary.repository.js";

const { annualSummaries, advantageCalculations, advantageParameters, achievements } = schema;

export const GAMIFICATION_MODULE = "achievements-gamification";

/** The year "now" falls in, in the organization's zone: the one Wrapped only previews. */
export function currentYear(now: Date, timeZone: string): number {
  return localDate(now, timeZone).year;
}

/**
 * Computes Wrapped for a batch of users of one tenant and year, set-based: one statement of facts,
 * one upsert. A final summary is written only over rows still `processing` or `pending` (a correction
 * that arrived meanwhile re-marks its row pending, and wins); a preview is always refreshed.
 */
export async function writeSummaries(
  db: Executor,
  tenant: Tenant,
  year: number,
  userIds: readonly string[],
  options: { now: Date; preview: boolean },
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const facts = await yearFacts(db, tenant, year, userIds);
  const asOf = localDayKey(options.now, tenant.timeZone);
  const rows = userIds.map((userId) => {
    const figures = summaryOf(facts.get(userId)!, { year, preview: options.preview, asOf });
    return {
      userId,
      organizationId: tenant.id,
      year,
      ...figures,
      generationStatus: options.preview ? ("pending" as const) : ("ready" as const),
      isPreview: options.preview,
      generatedAt: options.now,
      lastError: null,
      updatedAt: options.now,
    };
  });
  const { columns, select, names } = jsonRows(annualSummaries, rows);
  const written = await rowsOf<{ user_id: string }>(
    db.execute(sql`
      insert into ${annualSummaries} ${columns} ${select}
      on conflict (user_id, year) do update set ${excludedSet(names, ["user_id", "organization_id", "year"])}
      where ${
        options.preview
          ? sql`${annualSummaries.isPreview} or ${annualSummaries.generationStatus} <> 'ready'`
          : sql`${annualSummaries.generationStatus} in ('processing', 'pending')`
      }
      returning user_id`),
  );
  // The same facts give the advantage calculation of the year.
  await writeAdvantages(db, tenant, year, userIds, options.now, facts);
  return written.map((w) => w.user_id);
}

/** The organization's parameters for a year, or the latest earlier year's when that year has none. */
async function parametersFor(db: Executor, tenantId: string, year: number) {
  const [row] = await db
    .select()
    .from(advantageParameters)
    .where(and(eq(advantageParameters.organizationId, tenantId), lt(advantageParameters.year, year + 1)))
    .orderBy(sql`${advantageParameters.year} desc`)
    .limit(1);
  return row ?? null;
}

/** Seed 004: one calculation per user and year, updated in place. */
export async function writeAdvantages(
  db: Executor,
  tenant: Tenant,
  year: number,
  userIds: readonly string[],
  now: Date,
  known?: Awaited<ReturnType<typeof yearFacts>>,
): Promise<void> {
  if (userIds.length === 0) return;
  const facts = known ?? (await yearFacts(db, tenant, year, userIds));
  const parameters = await parametersFor(db, tenant.id, year);
  const { start, end } = yearRange(year, tenant.timeZone);
  const rows = userIds.map((userId) => {
    const totals = totalsOf(facts.get(userId)!);
    const result = advantageOf(
      totals,
      parameters
        ? {
            hourlyRate: parameters.hourlyRate,
            currency: parameters.currency,
            source: parameters.source,
            benefitCategories: parameters.benefitCategories,
          }
        : null,
    );
    return {
      userId,
      organizationId: tenant.id,
      calculationDate: now,
      periodStart: start,
      periodEnd: end,
      totalActivities: totals.activities,
      totalHours: totals.hours,
      estimatedMonetaryValue: result.estimatedMonetaryValue,
      socialImpactScore: result.socialImpactScore,
      contactsHelped: totals.contacts,
      advantageBreakdown: result.breakdown,
      calculationVersion: result.calculationVersion,
      hourlyRate: parameters?.hourlyRate ?? null,
      currency: parameters?.currency ?? "NOK",
      rateSource: parameters
        ? parameters.year === year
          ? parameters.source
          : `${parameters.source} (the ${parameters.year} rate)`
        : null,
      isStale: false,
      updatedAt: now,
    };
  });
  const { columns, select, names } = jsonRows(advantageCalculations, rows);
  await db.execute(sql`
    insert into ${advantageCalculations} ${columns} ${select}
    on conflict (user_id, period_start, period_end)
    do update set ${excludedSet(names, ["user_id", "organization_id", "period_start", "period_end"])}`);
}

/**
 * A change to a user's activities in some years: a past year's Wrapped goes back to pending (and is
 * recomputed by the job), and the year's advantage calculation is marked stale. Cheap: two updates.
 */
export async function markYearsChanged(
  db: Executor,
  tenant: Tenant,
  userId: string,
  at: readonly Date[],
  now: Date,
) {
  const years = [...new Set(at.map((d) => localDate(d, tenant.timeZone).year))];
  const past = years.filter((y) => y < currentYear(now, tenant.timeZone));
  if (past.length > 0) {
    await db
      .update(annualSummaries)
      .set({ generationStatus: "pending", isPreview: false, updatedAt: now })
      .where(and(eq(annualSummaries.userId, userId), inArray(annualSummaries.year, past)));
  }
  await db
    .update(advantageCalculations)
    .set({ isStale: true })
    .where(
      and(
        eq(advantageCalculations.userId, userId),
        inArray(
          advantageCalculations.periodStart,
          years.map((y) => yearRange(y, tenant.timeZone).start),
        ),
      ),
    );
}

/**
 * When a year's Wrapped is ready: the `annual_summary` achievements, once per user and calendar year
 * (the award period is the year, and the unique index holds it to once), through the scoring pipeline.
 * Called in the transaction that makes the summaries ready, with their users locked: a crash leaves
 * either both or neither. Deactivated members get no new badge.
 */
export async function awardAnnualBadges(
  tx: Executor,
  scoring: Scoring,
  tenant: Tenant,
  year: number,
  userIds: readonly string[],
  now: Date,
) {
  if (userIds.length === 0) return 0;
  const annual = await tx
    .select()
    .from(achievements)
    .where(and(eq(achievements.triggerType, "annual_summary"), availableTo(tenant), notExpired(now)));
  if (annual.length === 0) return 0;
  const grants = annual.map((achievement) => ({ achievement, periodKey: String(year), grantedById: null }));
  const outcomes = await scoreLocked(
    tx,
    scoring.catalogs,
    tenant,
    userIds.map((userId) => ({ userId, intent: { at: now, grants } })),
    now,
  );
  return outcomes
    .flatMap((o) => (o.status === "written" ? o.awards : []))
    .filter((a) => a.periodKey === String(year)).length;
}
