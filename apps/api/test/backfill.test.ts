import { schema } from "@laurel/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gameTenant, signInPlayer } from "./support/engine.js";
import { makeUser, unique } from "./support/factories.js";
import { hold, waitingOn, waitUntil } from "./support/locks.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
const onPostgres = Boolean(inject("databaseUrl"));
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

  // PGlite is one session, where a backfill's transaction runs alone: the race exists on PostgreSQL only.
  it.runIf(onPostgres)(
    "an event recorded while a metric is recomputed counts exactly once: it waits for the recount",
    async () => {
      const game = await gameTenant(api);
      const db = api.database.db;
      const bystander = await makeUser(db, {
        organizationId: game.organization.id,
        role: "player",
        password: false,
      });
      // The player deposits, the bystander withdraws: the metric counts withdrawals first, so the player
      // has no value of it (no row the recount could hold them by) until it counts deposits.
      const deposit = () => game.event("deposit", { value: 10 });
      for (let i = 0; i < 3; i++) expect((await deposit()).errors).toBeUndefined();
      expect((await game.event("withdrawal", { value: 10, userId: bystander.id })).errors).toBeUndefined();
      const made = await api.ok(
        `mutation { createMetric(key: "moves", name: "Money moves", eventTypes: ["withdrawal"], aggregation: count) { id } }`,
        {},
        game.admin.token,
      );
      const metricId = made.createMetric.id as string;
      await api.settle(game.organization.id);
      const values = async () =>
        Object.fromEntries(
          (await db.select().from(schema.metricValues).where(eq(schema.metricValues.metricId, metricId))).map(
            (v) => [v.userId, v.value],
          ),
        );
      expect(await values()).toEqual({ [bystander.id]: 1 });

      // The bystander's value is held here: the recount of the metric (deposits now) stops at it, after
      // it read the events and before it writes any value.
      const gate = await hold(db, (tx) =>
        tx.execute(sql`
          select 1 from ${schema.metricValues}
          where metric_id = ${metricId} and user_id = ${bystander.id} for update`),
      );
      let live: ReturnType<typeof deposit>;
      try {
        await api.ok(
          `mutation($id: ID!) { updateMetric(id: $id, eventTypes: ["deposit"]) { id } }`,
          { id: metricId },
          game.admin.token,
        );
        const [recount] = await waitUntil("the recount reaches the held value", async () => {
          const waiting = await waitingOn(db, gate.pid);
          return waiting.length > 0 && waiting;
        });
        // A deposit of the player's, while the recount's history lacks it. The recount holds the
        // player's lock, so the event waits for it and then counts on top. Without that lock the event
        // would be written now, under the value the recount is about to write from its older history.
        let recorded = false;
        live = deposit().finally(() => (recorded = true));
        await waitUntil(
          "the event waits for the recount (or is recorded)",
          async () => recorded || (await waitingOn(db, recount!)).length > 0,
        );
        expect(recorded).toBe(false);
      } finally {
        await gate.release();
      }
      expect((await live).errors).toBeUndefined();
      await api.settle(game.organization.id);
      expect(await values()).toEqual({ [game.player.id]: 4 });
      // Both runs, the count and the recount, done.
      const runs = await db
        .select({ status: schema.backfillRuns.status })
        .from(schema.backfillRuns)
        .where(eq(schema.backfillRuns.metricId, metricId));
      expect(runs).toEqual([{ status: "done" }, { status: "done" }]);
    },
  );

  // Issue 16: the backfill gives a filtered distinct metric the members of every event of its type,
  // matching or not; the value is right, but a later matching event with a member seen only on
  // non-matching events is taken as known, and not counted.
  it("a filtered distinct metric added after events counts the matching members only, and live events on top", async () => {
    const game = await gameTenant(api);
    const trade = async (symbol: string, venue: string) =>
      expect((await game.event("trade", { attributes: { symbol, venue } })).errors).toBeUndefined();
    for (const [symbol, venue] of [
      ["AAA", "x"],
      ["BBB", "x"],
      ["AAA", "x"],
      ["CCC", "x"],
      ["DDD", "y"],
      ["EEE", "y"],
      ["AAA", "y"],
    ] as const)
      await trade(symbol, venue);
    const made = await api.ok(
      `mutation { createMetric(key: "symbols_on_x", name: "Symbols traded on x", eventTypes: ["trade"], aggregation: distinct, distinctAttribute: "symbol", filter: { venue: "x" }) { id } }`,
      {},
      game.admin.token,
    );
    await api.settle(game.organization.id);
    // Read as an admin sees it: the value of a rule on the metric, in the player's progress.
    const rule = await api.ok(
      `mutation($m: ID!) { createAchievementRule(name: "100 symbols", metricId: $m, comparator: gte, target: 100, weight: 100) { id } }`,
      { m: made.createMetric.id },
      game.admin.token,
    );
    const key = unique("symbols_");
    await game.achievement({ key, name: "Many symbols", ruleIds: [rule.createAchievementRule.id] });
    await api.settle(game.organization.id);
    const value = async () => {
      const progress = await api.ok(
        `query($u: ID!) { userProgress(userId: $u) { key rules { value } } }`,
        { u: game.player.id },
        game.admin.token,
      );
      return progress.userProgress.find((b: { key: string }) => b.key === key).rules[0].value as number;
    };
    // AAA, BBB and CCC.
    expect(await value()).toBe(3);
    await trade("FFF", "y");
    expect(await value()).toBe(3);
    // Seen before, but only on another venue: a new member.
    await trade("DDD", "x");
    expect(await value()).toBe(4);
    await trade("BBB", "x");
    expect(await value()).toBe(4);
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
