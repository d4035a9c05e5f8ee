import { type Database, schema } from "@laurel/db";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, unique } from "./support/factories.js";
import { openTestDatabase } from "./support/server.js";

/**
 * The invariants that must survive a race or a bug live in the database itself. These tests go
 * straight to the tables, past every application check, and expect the database to refuse.
 */
let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  const handle = await openTestDatabase();
  db = handle.db;
  close = handle.close;
});
afterAll(() => close());

async function refused(write: Promise<unknown>, constraint: string) {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${constraint} to refuse the write`).toBeDefined();
  const cause = (error as { cause?: { constraint?: string; constraint_name?: string } }).cause;
  expect(cause?.constraint ?? cause?.constraint_name).toBe(constraint);
}

async function world() {
  const org = await makeOrganization(db);
  const other = await makeOrganization(db);
  const user = await makeUser(db, { organizationId: org.id, role: "peer_mentor" });
  const [wins] = await db
    .select()
    .from(schema.metricDefinitions)
    .where(and(eq(schema.metricDefinitions.key, "wins"), isNull(schema.metricDefinitions.organizationId)));
  const [achievement] = await db
    .insert(schema.achievements)
    .values({
      organizationId: org.id,
      key: unique("a_"),
      name: "A",
      description: "A",
      category: "milestone",
      triggerType: "manual",
    })
    .returning();
  return { org, other, user, wins: wins!, achievement: achievement! };
}

describe("database constraints", () => {
  it("one award per user, achievement and period", async () => {
    const { org, user, achievement } = await world();
    const award = {
      organizationId: org.id,
      userId: user.id,
      achievementId: achievement.id,
      periodKey: "all",
      progress: 100,
      completedAt: new Date(),
    };
    await db.insert(schema.userAchievements).values(award);
    await refused(
      db.insert(schema.userAchievements).values(award),
      "user_achievements_user_achievement_period_key",
    );
    await db.insert(schema.userAchievements).values({ ...award, periodKey: "2026" });
    await refused(
      db
        .insert(schema.userAchievements)
        .values({ ...award, periodKey: "x", progress: 101, completedAt: null }),
      "user_achievements_progress_range",
    );
    await refused(
      db.insert(schema.userAchievements).values({ ...award, periodKey: "y", progress: 50 }),
      "user_achievements_completed_is_full",
    );
  });

  it("one grant per reward of an award, and one notification per award", async () => {
    const { org, user, achievement } = await world();
    const [award] = await db
      .insert(schema.userAchievements)
      .values({
        organizationId: org.id,
        userId: user.id,
        achievementId: achievement.id,
        progress: 100,
        completedAt: new Date(),
      })
      .returning();
    const [boost] = await db
      .insert(schema.consumables)
      .values({ organizationId: org.id, name: "Boost", type: "exp", value: 50 })
      .returning();
    const grant = {
      organizationId: org.id,
      userId: user.id,
      userAchievementId: award!.id,
      consumableId: boost!.id,
      type: "exp" as const,
      quantity: 1,
      unitValue: 50,
      description: "Boost",
    };
    await db.insert(schema.rewardLedger).values(grant);
    await refused(db.insert(schema.rewardLedger).values(grant), "reward_ledger_award_consumable_key");
    const note = {
      organizationId: org.id,
      userId: user.id,
      type: "achievement_earned",
      title: "t",
      body: "b",
      userAchievementId: award!.id,
    };
    await db.insert(schema.notifications).values(note);
    await refused(db.insert(schema.notifications).values(note), "notifications_user_achievement_key");
  });

  it("achievement rules of seed 000 and 001", async () => {
    const { org, wins } = await world();
    const base = {
      organizationId: org.id,
      name: "A",
      description: "A",
      category: "milestone" as const,
      triggerType: "manual" as const,
    };
    await refused(
      db.insert(schema.achievements).values({ ...base, key: "Bad-Key" }),
      "achievements_key_format",
    );
    await refused(
      db.insert(schema.achievements).values({ ...base, key: unique("k_"), points: -1 }),
      "achievements_points_non_negative",
    );
    await refused(
      db.insert(schema.achievements).values({ ...base, key: unique("k_"), name: "  " }),
      "achievements_name_not_empty",
    );
    await refused(
      db
        .insert(schema.achievements)
        .values({ ...base, key: unique("k_"), repeatPeriod: "yearly", isRepeatable: false }),
      "achievements_repeat_period_requires_repeatable",
    );
    await refused(
      db.insert(schema.achievements).values({ ...base, key: unique("k_"), triggerType: "activity_count" }),
      "achievements_threshold_required_for_count_triggers",
    );
    const key = unique("k_");
    await db.insert(schema.achievements).values({ ...base, key });
    await refused(db.insert(schema.achievements).values({ ...base, key }), "idx_achievements_org_key");
    await refused(
      db.insert(schema.achievementRules).values({
        organizationId: org.id,
        name: "R",
        metricId: wins.id,
        comparator: "gte",
        target: 1,
        weight: 101,
      }),
      "achievement_rules_weight_range",
    );
  });

  it("one summary per user and year, of the user's own organization, with twelve monthly counts", async () => {
    const { org, other, user } = await world();
    const summary = {
      userId: user.id,
      organizationId: org.id,
      year: 2025,
      monthlyActivityCounts: Array(12).fill(0),
    };
    await db.insert(schema.annualSummaries).values(summary);
    await refused(db.insert(schema.annualSummaries).values(summary), "idx_annual_summaries_user_year");
    await refused(
      db.insert(schema.annualSummaries).values({ ...summary, year: 2024, organizationId: other.id }),
      "annual_summaries_user_org_fk",
    );
    await refused(
      db.insert(schema.annualSummaries).values({ ...summary, year: 2023, monthlyActivityCounts: [1, 2, 3] }),
      "annual_summaries_monthly_counts_array_length",
    );
    await refused(
      db.insert(schema.annualSummaries).values({ ...summary, year: 2022, totalActivities: -1 }),
      "annual_summaries_non_negative_counts",
    );
    await refused(
      db.insert(schema.annualSummaries).values({ ...summary, year: 1899 }),
      "annual_summaries_year_range_valid",
    );
  });

  it("one calculation per user and period, with its start before its end", async () => {
    const { org, user } = await world();
    const calc = {
      userId: user.id,
      organizationId: org.id,
      calculationDate: new Date(),
      periodStart: new Date("2025-01-01T00:00:00Z"),
      periodEnd: new Date("2026-01-01T00:00:00Z"),
      calculationVersion: "1",
    };
    await db.insert(schema.advantageCalculations).values(calc);
    await refused(
      db.insert(schema.advantageCalculations).values(calc),
      "idx_advantage_calculations_user_period",
    );
    await refused(
      db
        .insert(schema.advantageCalculations)
        .values({ ...calc, periodStart: calc.periodEnd, periodEnd: calc.periodStart }),
      "advantage_calculations_period_start_before_end",
    );
    await refused(
      db.insert(schema.advantageCalculations).values({
        ...calc,
        periodStart: new Date("2024-01-01Z"),
        periodEnd: new Date("2025-01-01Z"),
        totalHours: -2,
      }),
      "advantage_calculations_non_negative_totals",
    );
  });

  it("events are idempotent per organization and key", async () => {
    const { org, user } = await world();
    const event = {
      organizationId: org.id,
      userId: user.id,
      type: "match_won",
      occurredAt: new Date(),
      source: "api_key" as const,
      idempotencyKey: "k1",
    };
    await db.insert(schema.events).values(event);
    await refused(db.insert(schema.events).values(event), "events_org_idempotency_key");
  });
});
