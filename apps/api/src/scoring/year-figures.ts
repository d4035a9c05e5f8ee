import { type Executor, excludedSet, idArray, jsonRows, schema } from "@laurel/db";
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

/** The calculations of a batch, from the year's facts and the organization's parameters. */
function calculationRows(
  tenant: Tenant,
  year: number,
  userIds: readonly string[],
  facts: Awaited<ReturnType<typeof yearFacts>>,
  parameters: Awaited<ReturnType<typeof parametersFor>>,
  now: Date,
) {
  const { start, end } = yearRange(year, tenant.timeZone);
  return userIds.map((userId) => {
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
}

/**
 * Seed 004: one calculation per user and year, updated in place, with an `advantage.calculated` outbox
 * row for each new or moved estimate. Set-based: one statement for the whole batch.
 */
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
  const rows = calculationRows(tenant, year, userIds, facts, parameters, now);
  const { columns, select, names } = jsonRows(advantageCalculations, rows);
  const [from, to] = [start.toISOString(), end.toISOString()];
  // advantage-calculations.save: the batch's calculations upserted, and `advantage.calculated` (engine
  // outbox.ts) told in the same statement for each that is new or whose estimate moved. `before` sees the
  // rows as they were (every part of one statement reads one snapshot); a refresh that changes nothing,
  // such as a year-to-date preview opened again, tells nothing.
  await db.execute(sql`
    with before as (
      select c.user_id, c.total_activities, c.total_hours, c.estimated_monetary_value, c.currency
      from ${advantageCalculations} c
      where c.user_id = any(${idArray(userIds)}::uuid[])
        and c.period_start = ${from}::timestamptz and c.period_end = ${to}::timestamptz
    ), saved as (
      insert into ${advantageCalculations} ${columns} ${select}
      on conflict (user_id, period_start, period_end)
      do update set ${excludedSet(names, ["user_id", "organization_id", "period_start", "period_end"])}
      returning id, user_id, organization_id, total_activities, total_hours, estimated_monetary_value, currency
    )
    insert into "outbox" (organization_id, user_id, type, payload, occurred_at)
    select s.organization_id, s.user_id, 'advantage.calculated',
           jsonb_build_object('userId', s.user_id, 'calculationId', s.id, 'periodStart', ${from}::text,
             'periodEnd', ${to}::text, 'totalActivities', s.total_activities, 'totalHours', s.total_hours,
             'estimatedMonetaryValue', s.estimated_monetary_value, 'currency', s.currency),
           ${now.toISOString()}::timestamptz
    from saved s left join before b on b.user_id = s.user_id
    where b.user_id is null
       or (b.total_activities, b.total_hours, b.estimated_monetary_value, b.currency)
          is distinct from (s.total_activities, s.total_hours, s.estimated_monetary_value, s.currency)`);
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
