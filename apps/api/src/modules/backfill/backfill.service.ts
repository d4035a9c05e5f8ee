import { type Database, type Executor, schema } from "@laurel/db";
import { fold, periodKey, type RepeatPeriod, windowKey } from "@laurel/engine";
import { and, asc, eq, gt, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Logger } from "../../logger.js";
import {
  achievementsWithRules,
  availableTo,
  awardAll,
  cellsOf,
  notExpired,
  progressFor,
  type Tenant,
} from "../achievement/evaluation.service.js";
import { lockUserPage, lockUsers } from "../event/intake.service.js";
import { cellId, definitionOf, inCells } from "../metric/metric-values.js";

const { backfillRuns, achievements, achievementRules, achievementRuleLinks, organizations, users, roles } =
  schema;
const { metricValues, metricDistinctMembers, events, userAchievements, metricDefinitions } = schema;

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
        notInArray(achievements.triggerType, ["manual", "annual_summary"]),
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
 * in one transaction under its users' locks (so it cannot race their live events): one read of the
 * page's metric values, progress computed in memory, the awards, then the progress rows in one
 * statement. Returns matched and awarded counts.
 */
async function backfillAchievement(db: Database, run: BackfillRow, now: Date) {
  let matched = 0;
  let awarded = 0;
  const [achievement] = await db.select().from(achievements).where(eq(achievements.id, run.achievementId!));
  if (!achievement || achievement.triggerType === "manual" || achievement.triggerType === "annual_summary")
    return { matched, awarded };
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
    const period = periodKey(achievement.repeatPeriod as RepeatPeriod | null, now, tenant.timeZone);
    const cells = cellsOf([entry], now, tenant.timeZone);
    for (let after: string | null = null; ;) {
      const batch = await participantBatch(db, tenant.id, after);
      if (batch.length === 0) break;
      after = batch.at(-1)!;
      // The page's users are locked first (not on a dry run), in id order as every locker of several
      // users does: the values read are the ones the progress and awards are written over, no live
      // event moves them meanwhile, and the users' lock versions move on, so no intake's copy of them
      // is trusted after.
      const page = async (tx: Executor) => {
        if (!run.dryRun) await lockUsers(tx, tenant.id, batch);
        const done = new Set(
          (
            await tx
              .select({ userId: userAchievements.userId })
              .from(userAchievements)
              .where(
                and(
                  inArray(userAchievements.userId, batch),
                  eq(userAchievements.achievementId, achievement.id),
                  eq(userAchievements.periodKey, period),
                  sql`${userAchievements.completedAt} is not null`,
                ),
              )
          ).map((r) => r.userId),
        );
        const values = await tx
          .select({
            userId: metricValues.userId,
            metricId: metricValues.metricId,
            windowKey: metricValues.windowKey,
            value: metricValues.value,
          })
          .from(metricValues)
          .where(and(inArray(metricValues.userId, batch), inCells(cells)));
        const byUser = new Map<string, Map<string, { value: number }>>();
        for (const v of values) {
          if (!byUser.has(v.userId)) byUser.set(v.userId, new Map());
          byUser.get(v.userId)!.set(cellId(v.metricId, v.windowKey), { value: v.value });
        }
        const progressRows: (typeof userAchievements.$inferInsert)[] = [];
        for (const userId of batch) {
          if (done.has(userId)) continue;
          const result = progressFor(entry, byUser.get(userId) ?? new Map(), now, tenant.timeZone);
          if (!result.completed) {
            if (result.progress > 0) {
              progressRows.push({
                organizationId: tenant.id,
                userId,
                achievementId: achievement.id,
                periodKey: period,
                progress: result.progress,
              });
            }
            continue;
          }
          matched++;
          if (run.dryRun) continue;
          const made = await awardAll(tx, tenant, userId, [{ achievement, periodKey: period }], {
            at: now,
            now,
            notify: run.notifyUsers,
          });
          awarded += made.filter((a) => a.achievementId === achievement.id).length;
        }
        if (!run.dryRun && progressRows.length > 0) {
          await tx
            .insert(userAchievements)
            .values(progressRows)
            .onConflictDoUpdate({
              target: [userAchievements.userId, userAchievements.achievementId, userAchievements.periodKey],
              set: { progress: sql`excluded.progress`, updatedAt: now },
              setWhere: isNull(userAchievements.completedAt),
            });
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
 * platform metric), a batch of users at a time, each batch in one transaction. Then the achievements
 * reading it are backfilled, so a new metric's history can complete them.
 */
async function backfillMetric(db: Database, run: BackfillRow, now: Date) {
  let matched = 0;
  const [metric] = await db.select().from(metricDefinitions).where(eq(metricDefinitions.id, run.metricId!));
  if (!metric) return { matched, awarded: 0 };
  const definition = definitionOf(metric);
  const types = [...metric.eventTypes, ...metric.resetEventTypes];
  for (const tenant of await tenantsFor(db, run.organizationId ?? metric.organizationId)) {
    for (let after: string | null = null; ;) {
      const batch = await db.transaction(async (tx) => {
        // The batch's users are locked as the intake locks them, before their events are read: an event
        // recorded meanwhile either committed before (and is read here) or waits and then counts on top.
        const batch = await lockUserPage(tx, tenant.id, after, BATCH);
        if (batch.length === 0) return batch;
        const rows = await tx
          .select({
            userId: events.userId,
            type: events.type,
            value: events.value,
            attributes: events.attributes,
            occurredAt: events.occurredAt,
          })
          .from(events)
          .where(and(inArray(events.userId, batch), inArray(events.type, types), isNull(events.retractedAt)));
        const cells = new Map<string, { userId: string; windowKey: string; events: typeof rows }>();
        for (const row of rows) {
          const key = windowKey(metric.window, row.occurredAt, tenant.timeZone);
          const id = `${row.userId}|${key}`;
          if (!cells.has(id)) cells.set(id, { userId: row.userId, windowKey: key, events: [] });
          cells.get(id)!.events.push(row);
        }
        await tx
          .delete(metricValues)
          .where(and(eq(metricValues.metricId, metric.id), inArray(metricValues.userId, batch)));
        await tx
          .delete(metricDistinctMembers)
          .where(
            and(eq(metricDistinctMembers.metricId, metric.id), inArray(metricDistinctMembers.userId, batch)),
          );
        const values = [...cells.values()].map((cell) => ({
          cell,
          state: fold(definition, cell.events, tenant.timeZone),
        }));
        matched += values.length;
        for (let i = 0; i < values.length; i += BATCH) {
          const slice = values.slice(i, i + BATCH);
          if (slice.length === 0) break;
          await tx.insert(metricValues).values(
            slice.map(({ cell, state }) => ({
              userId: cell.userId,
              metricId: metric.id,
              windowKey: cell.windowKey,
              organizationId: tenant.id,
              value: state.value,
              state: state.state,
              updatedAt: now,
            })),
          );
        }
        if (metric.aggregation === "distinct" && metric.distinctAttribute) {
          const members = new Set<string>();
          const memberRows = [];
          for (const cell of cells.values()) {
            for (const e of cell.events) {
              const member = e.attributes[metric.distinctAttribute];
              const id = `${cell.userId}|${cell.windowKey}|${member}`;
              if (member === undefined || member === null || member === "" || members.has(id)) continue;
              if (!metric.eventTypes.includes(e.type)) continue;
              members.add(id);
              memberRows.push({
                userId: cell.userId,
                metricId: metric.id,
                windowKey: cell.windowKey,
                member: String(member),
              });
            }
          }
          for (let i = 0; i < memberRows.length; i += BATCH) {
            await tx
              .insert(metricDistinctMembers)
              .values(memberRows.slice(i, i + BATCH))
              .onConflictDoNothing();
          }
        }
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
  run: BackfillRow,
  now: Date,
  logger: Logger,
): Promise<BackfillRow> {
  try {
    const { matched, awarded } =
      run.kind === "metric" ? await backfillMetric(db, run, now) : await backfillAchievement(db, run, now);
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
  clock: { now(): Date },
  logger: Logger,
): Promise<number> {
  let finished = 0;
  for (let run = await claim(db, clock.now()); run; run = await claim(db, clock.now())) {
    await runBackfill(db, run, clock.now(), logger);
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
