import type { Database, DatabaseHandle } from "@laurel/db";
import { Cron } from "croner";
import { sql } from "drizzle-orm";
import { type Clock, systemClock } from "../clock.js";
import type { Env } from "../env.js";
import type { Logger } from "../logger.js";
import { pruneOutbox } from "../outbox/prune.js";
import { runPendingBackfills } from "../scoring/backfill.js";
import { Scoring } from "../scoring/state.js";
import {
  finalizePastYear,
  processPendingSummaries,
  refreshPreviews,
  BATCH,
  refreshStaleAdvantages,
} from "./summaries.js";

export type JobContext = {
  db: Database;
  /** The scoring layer's state in the job's process (a fresh one for the run when absent). */
  scoring?: Scoring;
  clock: Clock;
  logger: Logger;
  /** How long a claim on a batch lasts before another process may take it over. */
  leaseMs: number;
  /** Summaries claimed and written at a time (500 unless set). */
  batchSize?: number;
  /** Batches worked on side by side (PostgreSQL only: PGlite runs one statement at a time). */
  parallel?: number;
  /**
   * The embedded database's upkeep: PGlite runs no autovacuum, so the job vacuums and analyzes it
   * itself (see `maintainEmbedded`). Unset on PostgreSQL, whose autovacuum does it.
   */
  upkeep?: Upkeep;
};

/** When the embedded database was last vacuumed and analyzed, and how often it is. */
export type Upkeep = { everyMs: number; lastAt: number | null };

/**
 * PGlite has no autovacuum: without this its planner works from no statistics and no index-only scan
 * skips the heap. Vacuum and analyze at the first run of the job in a process, then once an hour. Cheap
 * when little changed: vacuum skips all-visible pages and analyze reads a sample. Upkeep never stops
 * the job: a failure is logged and tried again at the next hour.
 */
export async function maintainEmbedded(job: JobContext): Promise<boolean> {
  const upkeep = job.upkeep;
  if (!upkeep) return false;
  const now = job.clock.now().getTime();
  if (upkeep.lastAt !== null && now - upkeep.lastAt < upkeep.everyMs) return false;
  upkeep.lastAt = now;
  try {
    await job.db.execute(sql`vacuum (analyze)`);
    return true;
  } catch (error) {
    job.logger.error("Embedded database upkeep failed", { error: String(error) });
    return false;
  }
}

/** The job as configured: PGlite runs one statement at a time, so batches side by side on PostgreSQL only. */
export function jobContextOf(env: Env, database: DatabaseHandle, logger: Logger): JobContext {
  return {
    db: database.db,
    scoring: new Scoring(database.db),
    clock: systemClock,
    logger,
    leaseMs: env.scheduler.leaseMs,
    batchSize: env.scheduler.batchSize,
    parallel: database.driver === "postgres" ? env.scheduler.parallel : 1,
    upkeep: database.driver === "pglite" ? { everyMs: 3_600_000, lastAt: null } : undefined,
  };
}

export type JobReport = {
  backfills: number;
  queued: number;
  ready: number;
  annualAwards: number;
  previews: number;
  advantages: number;
  /** Relayed outbox rows past their retention, deleted. */
  outboxPruned: number;
};
export type JobProgress = (task: string, done: number) => void;

/**
 * The scheduled job, once: backfills, then the past year queued for every peer mentor after
 * 31 December, pending summaries recomputed (and annual badges awarded), year-to-date previews and
 * stale calculations refreshed, and relayed outbox rows past their retention deleted. Safe to run in several processes at once: every piece of work is
 * claimed with row locks (FOR UPDATE SKIP LOCKED), and writes are idempotent.
 */
export async function runJobOnce(job: JobContext, onProgress: JobProgress = () => {}): Promise<JobReport> {
  await maintainEmbedded(job);
  const scoring = job.scoring ?? new Scoring(job.db);
  const backfills = await runPendingBackfills(job.db, scoring, job.clock, job.logger);
  onProgress("backfills", backfills);
  const queued = await finalizePastYear(job.db, job.clock.now());
  onProgress("finalize", queued);
  const { ready, awards } = await processPendingSummaries(job.db, scoring, job.clock, job.logger, {
    leaseMs: job.leaseMs,
    batchSize: job.batchSize ?? BATCH,
    parallel: job.parallel ?? 1,
    onBatch: (n) => onProgress("summaries", n),
  });
  const previews = await refreshPreviews(job.db, job.clock.now(), (n) => onProgress("previews", n));
  const advantages = await refreshStaleAdvantages(job.db, job.clock.now(), (n) =>
    onProgress("advantages", n),
  );
  const outboxPruned = await pruneOutbox(job.db, job.clock.now());
  onProgress("outbox", outboxPruned);
  return { backfills, queued, ready, annualAwards: awards, previews, advantages, outboxPruned };
}

/** The job on a cron schedule in this process; `protect` keeps one run at a time here. */
export function startScheduler(job: JobContext, cron: string): { stop(): void; trigger(): void } {
  const run = async () => {
    try {
      const report = await runJobOnce(job);
      job.logger.debug("Scheduled job done", report);
    } catch (error) {
      job.logger.error("Scheduled job failed", { error: String(error) });
    }
  };
  const task = new Cron(cron, { protect: true, unref: true }, run);
  return { stop: () => task.stop(), trigger: () => void task.trigger() };
}
