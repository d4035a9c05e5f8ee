import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTenant, signInPlayer } from "./support/engine.js";
import { makeUser } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" } });
});
afterAll(() => api.close());

async function lockVersionOf(userId: string) {
  const [row] = await api.database.db
    .select({ v: schema.users.lockVersion })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  return row!.v;
}

async function notificationsOf(userId: string) {
  return api.database.db.select().from(schema.notifications).where(eq(schema.notifications.userId, userId));
}

describe("backfill", () => {
  it("awards a new achievement, in the background, to the users who already qualify; a dry run only counts", async () => {
    const game = await gameTenant(api);
    const second = await makeUser(api.database.db, { organizationId: game.organization.id, role: "player" });
    for (let i = 0; i < 3; i++) await game.event("match_won");
    await game.event("match_won", { userId: second.id });

    const rule = await game.rule("Three wins", "wins", "gte", 3, 100);
    const made = await game.achievement({ name: "Three wins", ruleIds: [rule], isActive: false });
    const id = made.data.createAchievement.id;
    const dry = await api.ok(
      `mutation($id: ID!) { backfillAchievement(id: $id, dryRun: true) { status dryRun matchedCount awardedCount } }`,
      { id },
      game.admin.token,
    );
    expect(dry.backfillAchievement).toEqual({
      status: "done",
      dryRun: true,
      matchedCount: 1,
      awardedCount: 0,
    });
    expect(
      await api.database.db
        .select()
        .from(schema.userAchievements)
        .where(eq(schema.userAchievements.achievementId, id)),
    ).toEqual([]);

    // Activating it awards the qualifying player, quietly (the default), and shows the other's progress:
    // both written under the users' locks, so their lock versions move (no intake's copy of them holds).
    const before = await lockVersionOf(second.id);
    await api.ok(
      `mutation($id: ID!) { updateAchievement(id: $id, isActive: true) { id } }`,
      { id },
      game.admin.token,
    );
    await api.settle(game.organization.id);
    const runs = await api.ok(
      `query($id: ID!) { allBackfillRuns(filter: { achievementId: $id }) { status dryRun awardedCount } }`,
      { id },
      game.admin.token,
    );
    expect(runs.allBackfillRuns).toContainEqual({ status: "done", dryRun: false, awardedCount: 1 });
    const rows = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.achievementId, id));
    expect(rows.map((r) => [r.userId, r.progress, Boolean(r.completedAt)]).sort()).toEqual(
      [
        [game.player.id, 100, true],
        [second.id, 33, false],
      ].sort(),
    );
    expect(await lockVersionOf(second.id)).toBeGreaterThan(before);
    expect(await notificationsOf(game.player.id)).toEqual([]);
  });

  it("notifies the users it awards when the admin chooses to", async () => {
    const game = await gameTenant(api);
    await game.event("deposit");
    const made = await game.achievement({
      name: "Depositor",
      ruleIds: [await game.rule("Deposit", "deposits", "gte", 1, 100)],
      isActive: false,
    });
    const id = made.data.createAchievement.id;
    await api.ok(
      `mutation($id: ID!) { updateAchievement(id: $id, isActive: true, notifyOnBackfill: true) { id } }`,
      { id },
      game.admin.token,
    );
    await api.settle(game.organization.id);
    expect((await notificationsOf(game.player.id)).map((n) => n.title)).toEqual(["Badge earned: Depositor"]);
  });

  it("awards the users who qualify after a rule is changed, and keeps weights summing to 100", async () => {
    const game = await gameTenant(api);
    for (let i = 0; i < 3; i++) await game.event("match_won");
    const rule = await game.rule("Five wins", "wins", "gte", 5, 100);
    const made = await game.achievement({ name: "Winner", ruleIds: [rule] });
    await api.settle(game.organization.id);
    const id = made.data.createAchievement.id;
    const completed = async () =>
      (
        await api.database.db
          .select()
          .from(schema.userAchievements)
          .where(eq(schema.userAchievements.achievementId, id))
      ).filter((r) => r.completedAt);
    expect(await completed()).toEqual([]);
    const heavier = await api.gql(
      `mutation($id: ID!) { updateAchievementRule(id: $id, weight: 80) { id } }`,
      { id: rule },
      game.admin.token,
    );
    expect(heavier.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "weight",
      rule: "rule_weights_sum_100",
    });
    await api.ok(
      `mutation($id: ID!) { updateAchievementRule(id: $id, target: 3) { target } }`,
      { id: rule },
      game.admin.token,
    );
    await api.settle(game.organization.id);
    expect((await completed()).map((r) => r.userId)).toEqual([game.player.id]);
  });

  it("computes a metric an admin adds without code from the events already recorded", async () => {
    const game = await gameTenant(api);
    await game.event("deposit", { value: 50, attributes: { method: "card" } });
    await game.event("deposit", { value: 70, attributes: { method: "card" } });
    await game.event("deposit", { value: 500, attributes: { method: "wire" } });
    const metric = await api.ok(
      `mutation { createMetric(key: "biggest_card_deposit", name: "Biggest card deposit", eventTypes: ["deposit"], aggregation: max, filter: { method: "card" }) { id organizationId } }`,
      {},
      game.admin.token,
    );
    expect(metric.createMetric.organizationId).toBe(game.organization.id);
    await api.settle(game.organization.id);
    const rule = await api.ok(
      `mutation($m: ID!) { createAchievementRule(name: "Card 60+", metricId: $m, comparator: gte, target: 60, weight: 100) { id } }`,
      { m: metric.createMetric.id },
      game.admin.token,
    );
    await game.achievement({
      key: "big_card",
      name: "Big card deposit",
      ruleIds: [rule.createAchievementRule.id],
    });
    await api.settle(game.organization.id);
    const token = await signInPlayer(api, game.player.email);
    const badges = await api.ok(`{ myBadges { key state rules { value } } }`, {}, token);
    expect(badges.myBadges.find((b: { key: string }) => b.key === "big_card")).toEqual({
      key: "big_card",
      state: "EARNED",
      rules: [{ value: 70 }],
    });
  });

  it("a metric added while events keep arriving counts every event exactly once", async () => {
    const game = await gameTenant(api);
    const players = [game.player];
    for (let i = 0; i < 19; i++) {
      players.push(
        await makeUser(api.database.db, {
          organizationId: game.organization.id,
          role: "player",
          password: false,
        }),
      );
    }
    const expected = new Map<string, number>();
    const deposit = async (userId: string) => {
      const result = await game.event("deposit", { value: 10, userId });
      expect(result.errors).toBeUndefined();
      expected.set(userId, (expected.get(userId) ?? 0) + 1);
    };
    await Promise.all(players.map((p) => deposit(p.id)));
    const created = api.ok(
      `mutation { createMetric(key: "deposit_count", name: "Deposits counted", eventTypes: ["deposit"], aggregation: count) { id } }`,
      {},
      game.admin.token,
    );
    // Events keep coming while the new metric is computed from history in the background.
    await Promise.all([
      created,
      ...Array.from({ length: 6 }, async (_, round) => {
        await new Promise((r) => setTimeout(r, round * 15));
        await Promise.all(players.map((p) => deposit(p.id)));
      }),
    ]);
    await api.settle(game.organization.id);
    const metricId = (await created).createMetric.id as string;
    const values = await api.database.db
      .select()
      .from(schema.metricValues)
      .where(eq(schema.metricValues.metricId, metricId));
    expect(Object.fromEntries(values.map((v) => [v.userId, v.value]))).toEqual(Object.fromEntries(expected));
  });

  it("refuses a metric that breaks its own shape, or takes a shipped metric's key", async () => {
    const game = await gameTenant(api);
    const bad = await api.gql(
      `mutation { createMetric(key: "wins", name: "Mine", eventTypes: ["Match Won"], aggregation: distinct) { id } }`,
      {},
      game.admin.token,
    );
    expect(bad.errors![0]!.extensions!.issues.map((i: { rule: string }) => i.rule).sort()).toEqual([
      "distinct_needs_attribute",
      "event_type_format",
    ]);
    const clash = await api.gql(
      `mutation { createMetric(key: "wins", name: "Mine", eventTypes: ["x"], aggregation: count) { id } }`,
      {},
      game.admin.token,
    );
    expect(clash.errors![0]!.extensions!.issues[0]).toMatchObject({ field: "key", rule: "unique" });
    const shipped = await api.ok(`{ allMetrics(filter: { q: "wins_in_row" }) { id } }`, {}, game.admin.token);
    const edit = await api.gql(
      `mutation($id: ID!) { updateMetric(id: $id, name: "Streak") { id } }`,
      { id: shipped.allMetrics[0].id },
      game.admin.token,
    );
    expect(edit.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});
