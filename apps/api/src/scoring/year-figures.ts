import { type Executor, excludedSet, jsonRows, schema } from "@laurel/db";
import { advantageOf, localDate, yearRange } from "@laurel/engine";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Tenant } from "./model.js";
import { totalsOf, yearFacts } from "./year-facts.js";

/**
 * A user's figures of a year beside Wrapped (which the summary module writes from the same facts): the
 * advantage calculation, and the marks that make both stale when the user's activities change.
 */
const { annualSummaries, advantageCalculations, advantageParameters } = schema;

export const GAMIFICATION_MODULE = "achievements-gamification";

/** The year "now" falls in, in the organization's zone: the one Wrapped only previews. */
export function currentYear(now: Date, timeZone: string): number {
  return localDate(now, timeZone).year;
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
