import { type Database, type Executor, schema } from "@laurel/db";
import { yearRange } from "@laurel/engine";
import { and, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "../logger.js";
import { lockUsers } from "../scoring/locks.js";
import type { Scoring } from "../scoring/state.js";
import { awardAnnualBadges, writeSummaries } from "../modules/summary/summary.generator.js";
import { currentYear, GAMIFICATION_MODULE, writeAdvantages } from "../scoring/year-figures.js";

const { organizations, users, roles, annualSummaries, advantageCalculations, activities } = schema;

export const BATCH = 500;
/** Failed rows are retried this many times in all. */
const MAX_ATTEMPTS = 3;

type Org = typeof organizations.$inferSelect;

/** Tenants with Wrapped on (seed 002's module_toggle_gate). */
async function gamifiedTenants(db: Database): Promise<Org[]> {
  return db
    .select()
    .from(organizations)
    .where(sql`${GAMIFICATION_MODULE} = any(${organizations.modules})`);
}

const participantsOf = (tenantId: string) =>
  and(eq(users.organizationId, tenantId), eq(roles.isParticipant, true), eq(users.isActive, true));

/**
 * After 31 December (in the tenant's zone): every peer mentor gets a pending summary for the year
 * just ended, set-based, one statement per tenant. Leftover previews of that year turn pending too.
 * Schedulers that start together take turns per tenant and year (a transaction-scoped advisory lock),
 * and rows that exist are never locked here: a scheduler already writing them is never waited on.
 */
export async function finalizePastYear(db: Database, now: Date): Promise<number> {
  let queued = 0;
  for (const org of await gamifiedTenants(db)) {
    const year = currentYear(now, org.timeZone) - 1;
    const rows = await db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`laurel:finalize:${org.id}:${year}`}, 0))`,
      );
      const inserted = await finalizeTenant(tx, org, year, now);
      // Leftover previews of that year: only they are touched, and no process writes them now.
      const previews = await tx
        .update(annualSummaries)
        .set({ generationStatus: "pending", isPreview: false, updatedAt: now })
        .where(
          and(
            eq(annualSummaries.organizationId, org.id),
            eq(annualSummaries.year, year),
            eq(annualSummaries.isPreview, true),
          ),
        )
        .returning({ id: annualSummaries.id });
      return [...inserted, ...previews];
    });
    queued += rows.length;
  }
  return queued;
}

/** The pending rows of one tenant's past year, in the caller's transaction. */
function finalizeTenant(db: Executor, org: Org, year: number, now: Date) {
  return (
    db
      .insert(annualSummaries)
      .select(
        db
          .select({
            id: sql`gen_random_uuid()`.as("id"),
            userId: users.id,
            organizationId: users.organizationId,
            year: sql`${year}`.as("year"),
            totalActivities: sql`0`.as("total_activities"),
            totalHours: sql`0`.as("total_hours"),
            totalContactsReached: sql`0`.as("total_contacts_reached"),
            totalEventsAttended: sql`0`.as("total_events_attended"),
            badgesEarnedCount: sql`0`.as("badges_earned_count"),
            topActivityType: sql`null`.as("top_activity_type"),
            mostActiveMonth: sql`null`.as("most_active_month"),
            streakDays: sql`null`.as("streak_days"),
            highlightMoments: sql`null`.as("highlight_moments"),
            monthlyActivityCounts: sql`null`.as("monthly_activity_counts"),
            generationStatus: sql`'pending'`.as("generation_status"),
            isPreview: sql`false`.as("is_preview"),
            generatedAt: sql`null`.as("generated_at"),
            viewedAt: sql`null`.as("viewed_at"),
            attempts: sql`0`.as("attempts"),
            lastError: sql`null`.as("last_error"),
            createdAt: sql`${now.toISOString()}::timestamptz`.as("created_at"),
            updatedAt: sql`${now.toISOString()}::timestamptz`.as("updated_at"),
          })
          .from(users)
          .innerJoin(roles, eq(roles.id, users.roleId))
          .where(participantsOf(org.id)),
      )
      // New rows only: locking existing ones (as DO UPDATE does, even when its WHERE is false) would
      // wait on, and could deadlock with, another process writing those summaries.
      .onConflictDoNothing({ target: [annualSummaries.userId, annualSummaries.year] })
      .returning({ id: annualSummaries.id })
  );
}

type Claimed = { id: string; user_id: string; organization_id: string; year: number };

/**
 * Takes a batch of pending summaries, marking them processing; other processes skip locked rows.
 * Rows left processing past the lease (their process died) and failed rows with tries left are taken
 * again, so a crash loses nothing.
 */
async function claim(db: Database, now: Date, leaseMs: number, batchSize: number): Promise<Claimed[]> {
  const stale = new Date(now.getTime() - leaseMs);
  const candidates = db
    .select({ id: annualSummaries.id })
    .from(annualSummaries)
    .innerJoin(organizations, eq(organizations.id, annualSummaries.organizationId))
    .where(
      and(
        eq(annualSummaries.isPreview, false),
        sql`${GAMIFICATION_MODULE} = any(${organizations.modules})`,
        or(
          eq(annualSummaries.generationStatus, "pending"),
          and(eq(annualSummaries.generationStatus, "processing"), lt(annualSummaries.updatedAt, stale)),
          and(
            eq(annualSummaries.generationStatus, "failed"),
            lt(annualSummaries.attempts, MAX_ATTEMPTS),
            lt(annualSummaries.updatedAt, stale),
          ),
        ),
      ),
    )
    .orderBy(annualSummaries.organizationId, annualSummaries.year, annualSummaries.userId)
    .limit(batchSize)
    .for("update", { of: annualSummaries, skipLocked: true });
  const rows = await db
    .update(annualSummaries)
    .set({ generationStatus: "processing", attempts: sql`${annualSummaries.attempts} + 1`, updatedAt: now })
    .where(inArray(annualSummaries.id, candidates))
    .returning({
      id: annualSummaries.id,
      user_id: annualSummaries.userId,
      organization_id: annualSummaries.organizationId,
      year: annualSummaries.year,
    });
  return rows.map((r) => ({
    id: r.id,
    user_id: r.user_id,
    organization_id: r.organization_id,
    year: r.year,
  }));
}

export type Progress = (done: number) => void;

/**
 * Recomputes pending summaries of finished years, a batch at a time: each batch is one claim, then one
 * transaction per tenant and year that writes the summaries ready (set-based) and their advantage
 * calculations; then the annual badges. Returns how many summaries became ready.
 */
export async function processPendingSummaries(
  db: Database,
  scoring: Scoring,
  clock: { now(): Date },
  logger: Logger,
  options: { leaseMs: number; batchSize?: number; parallel?: number; onBatch?: Progress },
): Promise<{ ready: number; awards: number }> {
  let ready = 0;
  let awards = 0;
  const size = options.batchSize ?? BATCH;
  const tenants = new Map((await db.select().from(organizations)).map((o) => [o.id, o]));
  // Several claimers at once, as several processes would be: claims skip each other's rows, and each
  // batch is its own transactions, so PostgreSQL works on batches side by side.
  const claimer = async () => {
    for (
      let batch = await claim(db, clock.now(), options.leaseMs, size);
      batch.length > 0;
      batch = await claim(db, clock.now(), options.leaseMs, size)
    ) {
      await processBatch(batch);
    }
  };
  const processBatch = async (batch: Claimed[]) => {
    for (const rows of byTenantAndYear(batch)) {
      const org =
        tenants.get(rows[0]!.organization_id) ??
        (await db.select().from(organizations).where(eq(organizations.id, rows[0]!.organization_id)))[0]!;
      const year = rows[0]!.year;
      const now = clock.now();
      try {
        const done = await summarize(db, scoring, org, year, rows, now);
        ready += done.written.length;
        awards += done.awarded;
      } catch (error) {
        logger.error("Wrapped generation failed", { organization: org.id, year, error: String(error) });
        await markFailed(db, rows, error, now);
      }
    }
    options.onBatch?.(batch.length);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, claimer));
  return { ready, awards };
}

/** A batch's rows by tenant and year: each group is one transaction. */
function byTenantAndYear(batch: Claimed[]): Claimed[][] {
  const groups = new Map<string, Claimed[]>();
  for (const row of batch) {
    const key = `${row.organization_id}|${row.year}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(row);
  }
  return [...groups.values()];
}

/** One tenant's summaries of one year made ready, and the annual badges they earn, in one transaction. */
function summarize(db: Database, scoring: Scoring, org: Org, year: number, rows: Claimed[], now: Date) {
  // The users first, as the intake locks them, then their summaries: ready and badged together.
  return db.transaction(async (tx) => {
    const userIds = rows.map((r) => r.user_id);
    await lockUsers(tx, org.id, userIds);
    const written = await writeSummaries(tx, org, year, userIds, { now, preview: false });
    return { written, awarded: await awardAnnualBadges(tx, scoring, org, year, written, now) };
  });
}

/** Rows whose generation failed, with the error: retried after the lease while they have tries left. */
async function markFailed(db: Database, rows: Claimed[], error: unknown, now: Date): Promise<void> {
  await db
    .update(annualSummaries)
    .set({ generationStatus: "failed", lastError: String(error).slice(0, 2000), updatedAt: now })
    .where(
      and(
        inArray(
          annualSummaries.id,
          rows.map((r) => r.id),
        ),
        eq(annualSummaries.generationStatus, "processing"),
      ),
    );
}

/**
 * Year-to-date previews of the current year, for the peer mentors whose preview is missing or older
 * than their latest logged change. Previews are never `ready`.
 */
export async function refreshPreviews(db: Database, now: Date, onBatch?: Progress): Promise<number> {
  let refreshed = 0;
  for (const org of await gamifiedTenants(db)) {
    const year = currentYear(now, org.timeZone);
    const { start } = yearRange(year, org.timeZone);
    const latestChange = db
      .select({ at: sql`max(${activities.updatedAt})` })
      .from(activities)
      .where(and(eq(activities.userId, users.id), gt(activities.occurredAt, start)));
    const due = await db
      .select({ id: users.id })
      .from(users)
      .innerJoin(roles, eq(roles.id, users.roleId))
      .leftJoin(annualSummaries, and(eq(annualSummaries.userId, users.id), eq(annualSummaries.year, year)))
      .where(
        and(
          participantsOf(org.id),
          or(isNull(annualSummaries.id), sql`${annualSummaries.generatedAt} < (${latestChange})`),
        ),
      );
    for (let i = 0; i < due.length; i += BATCH) {
      const ids = due.slice(i, i + BATCH).map((u) => u.id);
      await db.transaction(async (tx) => {
        await lockUsers(tx, org.id, ids); // in id order, as every batch writer: never a deadlock
        await writeSummaries(tx, org, year, ids, { now, preview: true });
      });
      refreshed += ids.length;
      onBatch?.(ids.length);
    }
  }
  return refreshed;
}

/** Advantage calculations marked stale by an activity change, recomputed per tenant and year. */
export async function refreshStaleAdvantages(db: Database, now: Date, onBatch?: Progress): Promise<number> {
  let refreshed = 0;
  const tenants = new Map((await db.select().from(organizations)).map((o) => [o.id, o]));
  for (;;) {
    const stale = await db
      .select({
        userId: advantageCalculations.userId,
        organizationId: advantageCalculations.organizationId,
        periodStart: advantageCalculations.periodStart,
      })
      .from(advantageCalculations)
      .where(eq(advantageCalculations.isStale, true))
      .limit(BATCH);
    if (stale.length === 0) return refreshed;
    const groups = new Map<string, { org: Org; year: number; ids: string[] }>();
    for (const row of stale) {
      const org = tenants.get(row.organizationId)!;
      // The period starts at local midnight of 1 January: a few hours either side of UTC's.
      const year = new Date(row.periodStart.getTime() + 14 * 3600 * 1000).getUTCFullYear();
      const key = `${org.id}|${year}`;
      if (!groups.has(key)) groups.set(key, { org, year, ids: [] });
      groups.get(key)!.ids.push(row.userId);
    }
    for (const { org, year, ids } of groups.values()) {
      await db.transaction(async (tx) => {
        await lockUsers(tx, org.id, ids);
        await writeAdvantages(tx, org, year, ids, now);
      });
      refreshed += ids.length;
      onBatch?.(ids.length);
    }
  }
}
