import { type Database, type Executor, schema } from "@laurel/db";
import { isEventJudged, JUDGED_ELSEWHERE } from "@laurel/engine";
import { and, asc, eq, gt, inArray, lt, notInArray, or } from "drizzle-orm";
import type { Logger } from "../logger.js";
import { achievementsWithRules, availableTo, notExpired } from "./catalog.js";
import { lockUserPage, lockUsers } from "./locks.js";
import type { Tenant } from "./model.js";
import { scoreLocked } from "./pipeline.js";
import type { Scoring } from "./state.js";

const { backfillRuns, achievements, achievementRules, achievementRuleLinks, organizations, users, roles } =
  schema;
const { metricDefinitions } = schema;

export type BackfillRow = typeof backfillRuns.$inferSelect;

const BATCH = 500;
/** A run left `running` this long was orphaned by a crashed process: another may take it over. */
const STALE_MS = 15 * 60 * 1000;

export async function enqueueBackfill(
  db: Executor,
  run: {
    kind: "achievement" | "metric";
    achievementId?: string;
    metricId?: string;
    organizationId: string | null;
    requestedById?: string | null;
    notifyUsers?: boolean;
    dryRun?: boolean;
  },
): Promise<BackfillRow> {
  const [row] = await db.insert(backfillRuns).values(run).returning();
  return row!;
}

/**
 * Queues a backfill of every event-judged achievement a tenant gains with newly enabled modules (its
 * own and the platform's gated by them), so members who already qualify get them without waiting for
 * their next event. `tenant` is the organization as it is after the change.
 */
export async function enqueueModuleBackfills(
  db: Executor,
  tenant: Tenant,
  enabled: readonly string[],
  options: { now: Date; requestedById: string | null; notifyUsers: boolean },
): Promise<number> {
  if (enabled.length === 0) return 0;
  const gained = await db
    .select({ id: achievements.id })
    .from(achievements)
    .where(
      and(
        inArray(achievements.requiresModule, [...enabled]),
        availableTo(tenant),
        notExpired(options.now),
        notInArray(achievements.triggerType, [...JUDGED_ELSEWHERE]),
      ),
    );
  for (const { id } of gained) {
    await enqueueBackfill(db, {
      kind: "achievement",
      achievementId: id,
      organizationId: tenant.id,
      requestedById: options.requestedById,
      notifyUsers: options.notifyUsers,
    });
  }
  return gained.length;
}

/** Participants of a tenant, a batch at a time, in id order. */
async function participantBatch(db: Executor, tenantId: string, after: string | null): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(
      and(
        eq(users.organizationId, tenantId),
        eq(roles.isParticipant, true),
        eq(users.isActive, true),
        after ? gt(users.id, after) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(BATCH);
  return rows.map((r) => r.id);
}

async function tenantsFor(db: Executor, organizationId: string | null): Promise<Tenant[]> {
  return db
    .select({ id: organizations.id, timeZone: organizations.timeZone, modules: organizations.modules })
    .from(organizations)
    .where(organizationId ? eq(organizations.id, organizationId) : undefined);
}

/**
 * Awards an achievement to every participant who already qualifies, a page of users at a time, each page
 * in one transaction under its users' locks (so it cannot race their live events; not on a dry run): the
 * scoring pipeline judges the achievement for each, one read and one write for the page. Returns the
 * users who qualified and the awards made.
 */
async function backfillAchievement(db: Database, scoring: Scoring, run: BackfillRow, now: Date) {
  let matched = 0;
  let awarded = 0;
  const [achievement] = await db.select().from(achievements).where(eq(achievements.id, run.achievementId!));
  if (!achievement || !isEventJudged(achievement)) return { matched, awarded };
  for (const tenant of await tenantsFor(db, run.organizationId ?? achievement.organizationId)) {
    const [entry] = await achievementsWithRules(
      db,
      and(
        eq(achievements.id, achievement.id),
        availableTo(tenant, { includeInactive: run.dryRun }),
        notExpired(now),
      ),
    );
    if (!entry || entry.rules.length === 0) continue;
    for (let after: string | null = null; ;) {
      const batch = await participantBatch(db, tenant.id, after);
      if (batch.length === 0) break;
      after = batch.at(-1)!;
      const page = async (tx: Executor) => {
        // Locked first, in id order as every locker of several users does: the values read are the ones
        // written over, and the users' lock versions move on, so no intake's copy of them is trusted after.
        if (!run.dryRun) await lockUsers(tx, tenant.id, batch);
        const outcomes = await scoreLocked(
          tx,
          scoring.catalogs,
          tenant,
          batch.map((userId) => ({
            userId,
            intent: { at: now, judge: [entry] },
            notify: run.notifyUsers,
          })),
          now,
          { dryRun: run.dryRun },
        );
        for (const outcome of outcomes) {
          if (outcome.status !== "written" && outcome.status !== "planned") continue;
          const made = outcome.plan.awards.filter((a) => a.achievement.id === achievement.id).length;
          matched += made;
          if (outcome.status === "written") awarded += made;
        }
      };
      if (run.dryRun) await page(db);
      else await db.transaction(page);
    }
  }
  return { matched, awarded };
}

/**
 * Computes a metric from the events already stored, for every user of its tenants (all tenants for a
 * platform metric), a page of users at a time, each page in one transaction under their locks: the
 * pipeline rebuilds the metric's windows from each user's history, as a correction does. Then the
 * achievements reading it are backfilled, so a new metric's history can complete them.
 */
async function backfillMetric(db: Database, scoring: Scoring, run: BackfillRow, now: Date) {
  let matched = 0;
  const [metric] = await db.select().from(metricDefinitions).where(eq(metricDefinitions.id, run.metricId!));
  if (!metric) return { matched, awarded: 0 };
  for (const tenant of await tenantsFor(db, run.organizationId ?? metric.organizationId)) {
    for (let after: string | null = null; ;) {
      const batch = await db.transaction(async (tx) => {
        // Locked as the intake locks them, before their events are read: an event recorded meanwhile
        // either committed before (and is read here) or waits and then counts on top.
        const batch = await lockUserPage(tx, tenant.id, after, BATCH);
        const outcomes = await scoreLocked(
          tx,
          scoring.catalogs,
          tenant,
          batch.map((userId) => ({ userId, intent: { at: now, rebuild: [metric], evaluate: false } })),
          now,
        );
        for (const o of outcomes)
          if (o.status === "written") matched += o.plan.cells.filter((c) => c.state.value !== 0).length;
        return batch;
      });
      if (batch.length === 0) break;
      after = batch.at(-1)!;
    }
    // Achievements reading the metric may now be complete for some users.
    const readers = await db
      .selectDistinct({ id: achievements.id })
      .from(achievements)
      .leftJoin(achievementRuleLinks, eq(achievementRuleLinks.achievementId, achievements.id))
      .leftJoin(achievementRules, eq(achievementRules.id, achievementRuleLinks.ruleId))
      .where(
        and(
          availableTo(tenant),
          or(eq(achievements.triggerMetricId, metric.id), eq(achievementRules.metricId, metric.id)),
        ),
      );
    for (const reader of readers) {
      await enqueueBackfill(db, {
        kind: "achievement",
        achievementId: reader.id,
        organizationId: tenant.id,
        notifyUsers: false,
      });
    }
  }
  return { matched, awarded: 0 };
}

/** Takes the oldest pending run (or an orphaned one), marking it running; other processes skip it. */
async function claim(db: Database, now: Date): Promise<BackfillRow | undefined> {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(backfillRuns)
      .where(
        or(
          eq(backfillRuns.status, "pending"),
          and(
            eq(backfillRuns.status, "running"),
            lt(backfillRuns.startedAt, new Date(now.getTime() - STALE_MS)),
          ),
        ),
      )
      .orderBy(asc(backfillRuns.createdAt))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!run) return undefined;
    const [claimed] = await tx
      .update(backfillRuns)
      .set({ status: "running", startedAt: now })
      .where(eq(backfillRuns.id, run.id))
      .returning();
    return claimed;
  });
}

/** Runs one claimed run to its end. Awards are exactly-once, so a run taken over after a crash is safe to redo. */
export async function runBackfill(
  db: Database,
  scoring: Scoring,
  run: BackfillRow,
  now: Date,
  logger: Logger,
): Promise<BackfillRow> {
  try {
    const { matched, awarded } =
      run.kind === "metric"
        ? await backfillMetric(db, scoring, run, now)
        : await backfillAchievement(db, scoring, run, now);
    const [done] = await db
      .update(backfillRuns)
      .set({ status: "done", matchedCount: matched, awardedCount: awarded, finishedAt: new Date() })
      .where(eq(backfillRuns.id, run.id))
      .returning();
    return done!;
  } catch (error) {
    logger.error("Background run failed", { run: run.id, error: String(error) });
    const [failed] = await db
      .update(backfillRuns)
      .set({ status: "failed", error: String(error).slice(0, 2000), finishedAt: new Date() })
      .where(eq(backfillRuns.id, run.id))
      .returning();
    return failed!;
  }
}

/** Runs pending work until none is left. Returns how many runs it finished. */
export async function runPendingBackfills(
  db: Database,
  scoring: Scoring,
  clock: { now(): Date },
  logger: Logger,
): Promise<number> {
  let finished = 0;
  for (let run = await claim(db, clock.now()); run; run = await claim(db, clock.now())) {
    await runBackfill(db, scoring, run, clock.now(), logger);
    finished++;
  }
  return finished;
}

/**
 * In-process trigger for background work: `kick()` after enqueuing starts a drain soon, without making
 * the request wait; `drain()` waits for the current drain and runs another (tests, the CLI).
 */
export class BackgroundJobs {
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  kick(): void {
    this.running = this.running
      .then(() => this.run())
      .catch((error) => this.logger.error("Background jobs failed", { error: String(error) }));
  }

  async drain(): Promise<void> {
    this.kick();
    await this.running;
  }

  /** Waits for what is running, starting nothing new (shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }
}
