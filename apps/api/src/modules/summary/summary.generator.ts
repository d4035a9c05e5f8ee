import { type Executor, excludedSet, jsonRows, rowsOf, schema } from "@laurel/db";
import { localDayKey, summaryOf } from "@laurel/engine";
import { and, eq, sql } from "drizzle-orm";
import { availableTo, notExpired } from "../../scoring/catalog.js";
import type { Tenant } from "../../scoring/model.js";
import { scoreLocked } from "../../scoring/pipeline.js";
import type { Scoring } from "../../scoring/state.js";
import { yearFacts } from "../../scoring/year-facts.js";
import { writeAdvantages } from "../../scoring/year-figures.js";

const { annualSummaries, achievements } = schema;

/** The `summary.ready` outbox rows of the summaries a final batch wrote (`written`): a CTE of its statement. */
const summariesReady = (now: Date) => sql`, told as (
        insert into "outbox" (organization_id, user_id, type, payload, occurred_at)
        select w.organization_id, w.user_id, 'summary.ready',
               jsonb_build_object('userId', w.user_id, 'summaryId', w.id, 'year', w.year),
               ${now.toISOString()}::timestamptz
        from written w
      )
      `;

/**
 * Computes Wrapped for a batch of users of one tenant and year, set-based: one statement of facts,
 * one upsert (which also tells `summary.ready` for each final summary it makes ready), one of the
 * calculations. A final summary is written only over rows still `processing` or `pending` (a correction
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
  // summaries.write: the batch upserted; a final batch also tells `summary.ready` (engine outbox.ts) for
  // each summary it made ready, in the same statement: one set-based insert per batch.
  const written = await rowsOf<{ user_id: string }>(
    db.execute(sql`
      with written as (
        insert into ${annualSummaries} ${columns} ${select}
        on conflict (user_id, year) do update set ${excludedSet(names, ["user_id", "organization_id", "year"])}
        where ${
          options.preview
            ? sql`${annualSummaries.isPreview} or ${annualSummaries.generationStatus} <> 'ready'`
            : sql`${annualSummaries.generationStatus} in ('processing', 'pending')`
        }
        returning id, user_id, organization_id, year
      )${options.preview ? sql`` : summariesReady(options.now)}
      select user_id from written`),
  );
  // The same facts give the advantage calculation of the year.
  await writeAdvantages(db, tenant, year, userIds, options.now, facts);
  return written.map((w) => w.user_id);
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
