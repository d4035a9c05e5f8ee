import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type DatabaseHandle, schema } from "@laurel/db";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { runJobOnce } from "../../src/jobs/scheduler.js";
import { finalizePastYear } from "../../src/jobs/summaries.js";
import { createLogger } from "../../src/logger.js";
import { currentYear } from "../../src/scoring/year-figures.js";
import { builtInRoleId, makeOrganization, unique } from "../support/factories.js";
import { hold, waitingOn, waitUntil } from "../support/locks.js";
import { openTestDatabase } from "../support/server.js";

/**
 * Several scheduler processes on one PostgreSQL database. Each test builds a tenant of peer mentors
 * with a year of activities, straight into the tables, and checks what the job leaves behind.
 */
let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

const logger = createLogger("silent", false);
const apiDir = fileURLToPath(new URL("../..", import.meta.url));

async function tenantWithYear(mentors: number, year = 2025) {
  const org = await makeOrganization(db.db, {
    timeZone: "Europe/Oslo",
    modules: ["achievements-gamification"],
  });
  const [type] = await db.db
    .insert(schema.activityTypes)
    .values({ organizationId: org.id, slug: "home_visit", name: "Home visit" })
    .returning();
  await db.db.insert(schema.achievements).values({
    organizationId: org.id,
    key: "annual_wrapped",
    name: "Your year",
    description: "d",
    category: "annual",
    triggerType: "annual_summary",
    isRepeatable: true,
    repeatPeriod: "yearly",
    points: 5,
  });
  const roleId = await builtInRoleId(db.db, "peer_mentor");
  const ids: string[] = [];
  for (let i = 0; i < mentors; i += 500) {
    const made = await db.db
      .insert(schema.users)
      .values(
        Array.from({ length: Math.min(500, mentors - i) }, (_, k) => ({
          organizationId: org.id,
          roleId,
          email: `${unique("m-")}-${i + k}@example.test`,
          displayName: `Mentor ${i + k}`,
        })),
      )
      .returning({ id: schema.users.id });
    ids.push(...made.map((m) => m.id));
    // Three activities each in the year: 2.5 hours.
    await db.db.insert(schema.activities).values(
      made.flatMap((m, k) =>
        [1, 2, 3].map((n) => ({
          organizationId: org.id,
          userId: m.id,
          activityTypeId: type!.id,
          occurredAt: new Date(Date.UTC(year, (k + n) % 12, n * 3, 10)),
          durationMinutes: 50,
          contactRef: `c${n}`,
        })),
      ),
    );
  }
  return { org, ids };
}

async function outcome(orgId: string, ids: string[], year = 2025) {
  const rows = await db.db
    .select({
      status: schema.annualSummaries.generationStatus,
      hours: schema.annualSummaries.totalHours,
      n: schema.annualSummaries.totalActivities,
    })
    .from(schema.annualSummaries)
    .where(and(eq(schema.annualSummaries.organizationId, orgId), eq(schema.annualSummaries.year, year)));
  const awards = await db.db
    .select({ userId: schema.userAchievements.userId })
    .from(schema.userAchievements)
    .where(
      and(
        inArray(schema.userAchievements.userId, ids),
        eq(schema.userAchievements.periodKey, String(year)),
        isNotNull(schema.userAchievements.completedAt),
      ),
    );
  const notes = await db.db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.notifications)
    .where(eq(schema.notifications.organizationId, orgId));
  // `summary.ready`, told in the transaction that makes each summary ready: whom it was told about.
  const told = await db.db
    .select({ userId: schema.outbox.userId })
    .from(schema.outbox)
    .where(
      and(
        eq(schema.outbox.organizationId, orgId),
        eq(schema.outbox.type, "summary.ready"),
        sql`(${schema.outbox.payload}->>'year')::int = ${year}`,
      ),
    );
  return { rows, awards, notifications: notes[0]!.n, ready: told.map((t) => t.userId) };
}

describe("the scheduler in several processes", () => {
  it("two schedulers started together make exactly one summary per user and year, and one annual badge each", async () => {
    const { org, ids } = await tenantWithYear(400);
    const second = await openTestDatabase();
    try {
      const clock = new FixedClock(new Date("2026-01-10T12:00:00Z"));
      await Promise.all([
        // Each with three claimers at once, as LAUREL_JOB_PARALLEL runs them: six in all.
        runJobOnce({ db: db.db, clock, logger, leaseMs: 60_000, batchSize: 50, parallel: 3 }),
        runJobOnce({ db: second.db, clock, logger, leaseMs: 60_000, batchSize: 50, parallel: 3 }),
      ]);
    } finally {
      await second.close();
    }
    const { rows, awards, notifications, ready } = await outcome(org.id, ids);
    expect(rows).toHaveLength(400);
    expect(rows.every((r) => r.status === "ready" && r.n === 3 && r.hours === 2.5)).toBe(true);
    expect(new Set(awards.map((a) => a.userId)).size).toBe(400);
    expect(awards).toHaveLength(400);
    expect(notifications).toBe(400);
    expect(ready).toHaveLength(400);
    expect(new Set(ready).size).toBe(400);
  });

  it("six processes finalizing the past year at once queue each mentor once, and never deadlock", async () => {
    const { org } = await tenantWithYear(2000);
    const handles = await Promise.all(Array.from({ length: 6 }, () => openTestDatabase()));
    try {
      const now = new Date("2026-01-10T12:00:00Z");
      await Promise.all(handles.map((h) => finalizePastYear(h.db, now)));
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    const [row] = await db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.annualSummaries)
      .where(and(eq(schema.annualSummaries.organizationId, org.id), eq(schema.annualSummaries.year, 2025)));
    expect(row!.n).toBe(2000);
  });

  it("a scheduler killed with SIGKILL mid-batch ten times, and restarted, leaves every summary ready exactly once", async () => {
    // The job in a child process runs on the system clock: the past year is the one it finalizes.
    const year = currentYear(new Date(), "Europe/Oslo") - 1;
    const { org, ids } = await tenantWithYear(2000, year);
    await finalizePastYear(db.db, new Date());
    const lease = 3_600_000;
    const env = {
      ...process.env,
      // Claims of killed runs stay theirs through the rounds: only the clock below takes them over.
      LAUREL_JOB_LEASE_SECONDS: String(lease / 1000),
      LAUREL_JOB_BATCH_SIZE: "40",
      LAUREL_JOB_PARALLEL: "1",
      LAUREL_LOG_LEVEL: "silent",
    };
    const summaries = () =>
      db.db
        .select({ id: schema.annualSummaries.id, status: schema.annualSummaries.generationStatus })
        .from(schema.annualSummaries)
        .where(and(eq(schema.annualSummaries.organizationId, org.id), eq(schema.annualSummaries.year, year)));
    const count = async (status: string) => (await summaries()).filter((r) => r.status === status).length;
    for (let round = 0; round < 10; round++) {
      const before = { ready: await count("ready"), processing: await count("processing") };
      // The users of every pending summary past the next batch of 40 are held here: the child writes one
      // batch, claims the next and stops inside its transaction, waiting for them.
      const gate = await hold(db.db, (tx) =>
        tx.execute(sql`
          select id from ${schema.users} where id in (
            select user_id from ${schema.annualSummaries}
            where organization_id = ${org.id} and year = ${year} and generation_status = 'pending'
              and not is_preview
            order by user_id offset 40)
          for no key update`),
      );
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "job"], {
        cwd: apiDir,
        env,
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        await waitUntil(
          `round ${round}: the job waits for a held user`,
          async () => {
            if (child.exitCode !== null) throw new Error(`round ${round}: the job ended by itself`);
            return (await waitingOn(db.db, gate.pid)).length > 0;
          },
          120_000,
        );
      } finally {
        child.kill("SIGKILL");
        await exited;
        await gate.release();
      }
      // Killed mid-batch: the batch it wrote is ready, the batch it was writing stays claimed.
      const ready = await count("ready");
      expect(ready - before.ready).toBeGreaterThan(0);
      expect(ready - before.ready).toBeLessThanOrEqual(40);
      expect((await count("processing")) - before.processing).toBe(40);
    }
    const claimed = (await summaries())
      .filter((r) => r.status === "processing")
      .map((r) => r.id)
      .sort();
    expect(claimed).toHaveLength(400);

    // Restarted within the lease, the job writes every other summary and leaves the claims alone.
    const clock = new FixedClock(new Date());
    await runJobOnce({ db: db.db, clock, logger, leaseMs: lease });
    const within = await summaries();
    expect(
      within
        .filter((r) => r.status !== "ready")
        .map((r) => r.id)
        .sort(),
    ).toEqual(claimed);
    // Once the lease is over, it takes them over.
    clock.advance(lease + 1);
    await runJobOnce({ db: db.db, clock, logger, leaseMs: lease });
    const { rows, awards, ready } = await outcome(org.id, ids, year);
    expect(rows).toHaveLength(2000);
    expect(rows.filter((r) => r.status !== "ready")).toEqual([]);
    expect(rows.every((r) => r.n === 3 && r.hours === 2.5)).toBe(true);
    expect(awards).toHaveLength(2000);
    expect(new Set(awards.map((a) => a.userId)).size).toBe(2000);
    // Ten kills mid-batch: each summary told ready once, none for a batch that died.
    expect(ready).toHaveLength(2000);
    expect(new Set(ready).size).toBe(2000);
  });
});
