import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type DatabaseHandle, schema } from "@laurel/db";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { runJobOnce } from "../../src/jobs/scheduler.js";
import { finalizePastYear } from "../../src/jobs/summaries.js";
import { createLogger } from "../../src/logger.js";
import { builtInRoleId, makeOrganization, unique } from "../support/factories.js";
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

async function tenantWithYear(mentors: number) {
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
    // Three activities each in 2025: 2.5 hours.
    await db.db.insert(schema.activities).values(
      made.flatMap((m, k) =>
        [1, 2, 3].map((n) => ({
          organizationId: org.id,
          userId: m.id,
          activityTypeId: type!.id,
          occurredAt: new Date(Date.UTC(2025, (k + n) % 12, n * 3, 10)),
          durationMinutes: 50,
          contactRef: `c${n}`,
        })),
      ),
    );
  }
  return { org, ids };
}

async function outcome(orgId: string, ids: string[]) {
  const rows = await db.db
    .select({
      status: schema.annualSummaries.generationStatus,
      hours: schema.annualSummaries.totalHours,
      n: schema.annualSummaries.totalActivities,
    })
    .from(schema.annualSummaries)
    .where(and(eq(schema.annualSummaries.organizationId, orgId), eq(schema.annualSummaries.year, 2025)));
  const awards = await db.db
    .select({ userId: schema.userAchievements.userId })
    .from(schema.userAchievements)
    .where(
      and(
        inArray(schema.userAchievements.userId, ids),
        eq(schema.userAchievements.periodKey, "2025"),
        isNotNull(schema.userAchievements.completedAt),
      ),
    );
  const notes = await db.db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.notifications)
    .where(eq(schema.notifications.organizationId, orgId));
  return { rows, awards, notifications: notes[0]!.n };
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
    const { rows, awards, notifications } = await outcome(org.id, ids);
    expect(rows).toHaveLength(400);
    expect(rows.every((r) => r.status === "ready" && r.n === 3 && r.hours === 2.5)).toBe(true);
    expect(new Set(awards.map((a) => a.userId)).size).toBe(400);
    expect(awards).toHaveLength(400);
    expect(notifications).toBe(400);
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
    const { org, ids } = await tenantWithYear(2000);
    const env = {
      ...process.env,
      LAUREL_JOB_LEASE_SECONDS: "1",
      LAUREL_JOB_BATCH_SIZE: "40",
      LAUREL_LOG_LEVEL: "silent",
    };
    const ready = async () => {
      const [row] = await db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(schema.annualSummaries)
        .where(
          and(
            eq(schema.annualSummaries.organizationId, org.id),
            eq(schema.annualSummaries.generationStatus, "ready"),
          ),
        );
      return row!.n;
    };
    let kills = 0;
    for (let round = 0; round < 10; round++) {
      const startedWith = await ready();
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "job"], {
        cwd: apiDir,
        env,
        stdio: "ignore",
      });
      // Killed once this run has written a batch of this tenant's summaries, a moment into the next one,
      // the moment varying from round to round (mid-claim, mid-write, mid-award).
      for (let waited = 0; waited < 120_000 && child.exitCode === null; waited += 25) {
        if ((await ready()) > startedWith) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, (round * 37) % 200));
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
        kills++;
      }
    }
    expect(kills).toBe(10);
    const before = await outcome(org.id, ids);
    expect(before.rows.filter((r) => r.status === "ready").length).toBeLessThan(2000);
    // The claims of the killed runs expire with their lease; the restarted job takes them over.
    await new Promise((r) => setTimeout(r, 1_100));
    await runJobOnce({ db: db.db, clock: { now: () => new Date() }, logger, leaseMs: 1_000 });
    const { rows, awards } = await outcome(org.id, ids);
    expect(rows).toHaveLength(2000);
    expect(rows.filter((r) => r.status !== "ready")).toEqual([]);
    expect(rows.every((r) => r.n === 3 && r.hours === 2.5)).toBe(true);
    expect(awards).toHaveLength(2000);
    expect(new Set(awards.map((a) => a.userId)).size).toBe(2000);
  });
});
