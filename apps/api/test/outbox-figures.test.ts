import { type DatabaseHandle, schema } from "@laurel/db";
import { type AdvantageCalculated, type SummaryReady, yearRange } from "@laurel/engine";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobOnce } from "../src/jobs/scheduler.js";
import { writeSummaries } from "../src/modules/summary/summary.generator.js";
import { signInPlayer } from "./support/engine.js";
import { makeUser } from "./support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

/**
 * `summary.ready` and `advantage.calculated`: told by the statements that make a Wrapped ready and save a
 * calculation, in their transaction, once per person and change.
 */
let database: DatabaseHandle;
let api: TestApi;
beforeAll(async () => {
  // A database of its own on PostgreSQL: the job here makes every tenant's Wrapped and previews, and
  // other files count their tenants' outbox rows.
  database = await openTestDatabase({ own: true });
  // 10 January 2026: 2025 is over in Oslo.
  api = await startTestServer({
    database,
    env: { LAUREL_DEV_LOGIN_CODE: "12345" },
    now: "2026-01-10T12:00:00Z",
  });
});
afterAll(async () => {
  await api.close();
  await database.close();
});

const { outbox, annualSummaries, advantageCalculations } = schema;
const job = () =>
  runJobOnce({ db: api.database.db, clock: api.clock, logger: api.server.services.logger, leaseMs: 60_000 });

const told = (organizationId: string, type: "summary.ready" | "advantage.calculated") =>
  api.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.organizationId, organizationId), eq(outbox.type, type)))
    .orderBy(asc(outbox.seq));

/** The `advantage.calculated` events of one year (previews of this year tell theirs too). */
async function calculated(organizationId: string, year: number) {
  const start = yearRange(year, "Europe/Oslo").start.toISOString();
  return (await told(organizationId, "advantage.calculated")).filter(
    (r) => (r.payload as AdvantageCalculated).periodStart === start,
  );
}

/** A volunteer organisation with two peer mentors: one logged 2025, the other nothing. */
async function twoMentors() {
  const org = await volunteerTenant(api);
  const quiet = await makeUser(api.database.db, { organizationId: org.organization.id, role: "peer_mentor" });
  for (const at of ["2025-03-03T09:00:00Z", "2025-03-04T09:00:00Z"]) {
    const logged = await org.log({ at, minutes: 90 });
    expect(logged.errors).toBeUndefined();
  }
  return { org, quiet };
}

describe("summary.ready", () => {
  it("is told once per person whose Wrapped the job makes ready, with the summary's id", async () => {
    const { org, quiet } = await twoMentors();
    await job();
    const summaries = await api.database.db
      .select()
      .from(annualSummaries)
      .where(and(eq(annualSummaries.organizationId, org.organization.id), eq(annualSummaries.year, 2025)));
    expect(summaries.map((s) => s.generationStatus)).toEqual(["ready", "ready"]);
    const ready = await told(org.organization.id, "summary.ready");
    expect(ready.map((r) => r.userId).sort()).toEqual([org.mentor.id, quiet.id].sort());
    for (const row of ready) {
      const summary = summaries.find((s) => s.userId === row.userId)!;
      expect(row.payload).toEqual({
        userId: summary.userId,
        summaryId: summary.id,
        year: 2025,
      } satisfies SummaryReady);
    }
    // The calculations of that year, from the same facts, tell theirs in the same transaction.
    const figures = await calculated(org.organization.id, 2025);
    expect(figures.map((r) => r.userId).sort()).toEqual([org.mentor.id, quiet.id].sort());
    const [row] = await api.database.db
      .select()
      .from(advantageCalculations)
      .where(
        and(
          eq(advantageCalculations.userId, org.mentor.id),
          eq(advantageCalculations.periodStart, yearRange(2025, "Europe/Oslo").start),
        ),
      );
    expect(figures.find((r) => r.userId === org.mentor.id)!.payload).toEqual({
      userId: org.mentor.id,
      calculationId: row!.id,
      periodStart: "2024-12-31T23:00:00.000Z",
      periodEnd: "2025-12-31T23:00:00.000Z",
      totalActivities: 2,
      totalHours: 3,
      estimatedMonetaryValue: null,
      currency: "NOK",
    } satisfies AdvantageCalculated);

    // Another run makes nothing ready again: nothing more is told.
    await job();
    expect(await told(org.organization.id, "summary.ready")).toHaveLength(2);
    expect(await calculated(org.organization.id, 2025)).toHaveLength(2);
  });

  it("is told again when a corrected year is made ready again, with the calculation's new figures", async () => {
    const { org } = await twoMentors();
    await job();
    const logged = await org.log({ at: "2025-05-05T09:00:00Z", minutes: 60 });
    expect(logged.errors).toBeUndefined();
    await job();
    const mine = (await told(org.organization.id, "summary.ready")).filter((r) => r.userId === org.mentor.id);
    expect(mine).toHaveLength(2);
    const figures = (await calculated(org.organization.id, 2025)).filter((r) => r.userId === org.mentor.id);
    expect(figures.map((r) => (r.payload as AdvantageCalculated).totalHours)).toEqual([3, 4]);
  });

  it("is not told by a rolled-back batch, nor by the calculations written with it", async () => {
    const { org, quiet } = await twoMentors();
    const now = api.clock.now();
    // Pending, as the job leaves them for a batch to take.
    await api.database.db.insert(annualSummaries).values(
      [org.mentor.id, quiet.id].map((userId) => ({
        userId,
        organizationId: org.organization.id,
        year: 2025,
        generationStatus: "pending" as const,
      })),
    );
    const tenant = {
      id: org.organization.id,
      timeZone: "Europe/Oslo",
      modules: ["achievements-gamification"],
    };
    await expect(
      api.database.db.transaction(async (tx) => {
        const written = await writeSummaries(tx, tenant, 2025, [org.mentor.id, quiet.id], {
          now,
          preview: false,
        });
        expect(written.sort()).toEqual([org.mentor.id, quiet.id].sort());
        const inside = await tx
          .select()
          .from(outbox)
          .where(
            and(
              eq(outbox.organizationId, org.organization.id),
              inArray(outbox.type, ["summary.ready", "advantage.calculated"]),
            ),
          );
        expect(inside).toHaveLength(4);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await told(org.organization.id, "summary.ready")).toEqual([]);
    expect(await told(org.organization.id, "advantage.calculated")).toEqual([]);
    const [summary] = await api.database.db
      .select()
      .from(annualSummaries)
      .where(and(eq(annualSummaries.userId, org.mentor.id), eq(annualSummaries.year, 2025)));
    expect(summary!.generationStatus).toBe("pending");
  });
});

describe("advantage.calculated", () => {
  it("is told when a calculation is made or its estimate moves, not when a refresh changes nothing; previews tell no summary.ready", async () => {
    const { org } = await twoMentors();
    const token = await signInPlayer(api, org.mentor.email);
    const ADVANTAGE = `query($y: Int!) { myAdvantage(year: $y) { id totalHours } }`;
    const first = (await api.ok(ADVANTAGE, { y: 2025 }, token)).myAdvantage;
    await api.ok(ADVANTAGE, { y: 2025 }, token);
    let figures = await calculated(org.organization.id, 2025);
    expect(figures).toHaveLength(1);
    expect(figures[0]!.payload).toMatchObject({ calculationId: first.id, totalHours: 3, totalActivities: 2 });

    // A correction marks it stale; the refresh that follows moves the estimate, and tells it.
    await org.log({ at: "2025-06-01T09:00:00Z", minutes: 30 });
    await api.ok(ADVANTAGE, { y: 2025 }, token);
    figures = await calculated(org.organization.id, 2025);
    expect(figures.map((r) => (r.payload as AdvantageCalculated).totalHours)).toEqual([3, 3.5]);

    // This year's Wrapped is a preview, computed at each look: never ready, and its unchanged calculation tells nothing again.
    const SUMMARY = `query($y: Int!) { myAnnualSummary(year: $y) { isPreview generationStatus } }`;
    expect((await api.ok(SUMMARY, { y: 2026 }, token)).myAnnualSummary.isPreview).toBe(true);
    await api.ok(SUMMARY, { y: 2026 }, token);
    expect(await told(org.organization.id, "summary.ready")).toEqual([]);
    expect(await calculated(org.organization.id, 2026)).toHaveLength(1);
  });
});
