import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BADGES, gameTenant, signInPlayer } from "./support/engine.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" } });
});
afterAll(() => api.close());

describe("seed 001: First Win", () => {
  it("reaches 100%, completes, grants 50 XP Boost once and notifies once", async () => {
    const game = await gameTenant(api);
    const ruleId = await game.rule("First Win Rule", "wins", "gte", 1, 100);
    const boost = await api.ok(
      `mutation { createConsumable(name: "50 XP Boost", type: exp, value: 50) { id } }`,
      {},
      game.admin.token,
    );
    const created = await game.achievement({
      key: "first_win",
      name: "First Win",
      description: "Win your first match!",
      ruleIds: [ruleId],
      rewards: [{ consumableId: boost.createConsumable.id }],
      points: 10,
    });
    expect(created.errors).toBeUndefined();
    const achievementId = created.data.createAchievement.id;
    await api.settle(game.organization.id);

    const token = await signInPlayer(api, game.player.email);
    const before = (await api.ok(BADGES, {}, token)).myBadges.find(
      (b: { key: string }) => b.key === "first_win",
    );
    expect(before).toMatchObject({
      state: "LOCKED",
      progress: 0,
      rules: [{ metricKey: "wins", target: 1, value: 0, remaining: 1 }],
    });

    const lost = await game.event("match_lost");
    expect(lost.data.recordEvent.awards).toEqual([]);
    const won = await game.event("match_won");
    expect(won.errors).toBeUndefined();
    expect(won.data.recordEvent.awards).toEqual([
      {
        achievementId,
        completed: true,
        pointsAwarded: 10,
        rewards: [{ name: "50 XP Boost", quantity: 1 }],
        achievement: { key: "first_win" },
      },
    ]);
    // Winning again does not grant it again.
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);

    const after = (await api.ok(BADGES, {}, token)).myBadges.find(
      (b: { key: string }) => b.key === "first_win",
    );
    expect(after).toMatchObject({ state: "EARNED", progress: 100, timesEarned: 1, rarity: 1 });
    const standing = await api.ok(
      `{ myStanding { points badgesEarned rewards { type quantity unitValue } } }`,
      {},
      token,
    );
    expect(standing.myStanding).toEqual({
      points: 10,
      badgesEarned: 1,
      rewards: [{ type: "exp", quantity: 1, unitValue: 50 }],
    });
    const notes = await api.ok(`{ myNotifications { title data } }`, {}, token);
    expect(notes.myNotifications).toHaveLength(1);
    expect(notes.myNotifications[0].title).toBe("Badge earned: First Win");

    // What the admin sees on the player's page (seed 001's "Step 4: Test").
    const progress = await api.ok(
      `query($id: ID!) { userProgress(userId: $id) { key progress state } }`,
      { id: game.player.id },
      game.admin.token,
    );
    expect(progress.userProgress).toContainEqual({ key: "first_win", progress: 100, state: "EARNED" });
    const rows = await api.ok(
      `query($id: ID!) { allUserAchievements(filter: { userId: $id, completed: true }) { progress completed achievement { key } } }`,
      { id: game.player.id },
      game.admin.token,
    );
    expect(rows.allUserAchievements).toEqual([
      { progress: 100, completed: true, achievement: { key: "first_win" } },
    ]);
  });
});

describe("seed 001: Trading Master", () => {
  it("reads 76% after 8 wins, 400 profit and 60 closed trades, and completes when all three targets are met", async () => {
    const game = await gameTenant(api);
    const ruleIds = [
      await game.rule("Ten wins", "wins", "gte", 10, 50),
      await game.rule("Profit 500", "total_profit", "gte", 500, 30),
      await game.rule("100 closed trades", "trades_closed", "gte", 100, 20),
    ];
    const made = await game.achievement({
      key: "trading_master",
      name: "Trading Master",
      category: "trading",
      ruleIds,
      points: 100,
    });
    expect(made.errors).toBeUndefined();
    await api.settle(game.organization.id);

    for (let i = 0; i < 8; i++) await game.event("match_won");
    for (let i = 0; i < 60; i++) await game.event("position_closed", { value: 400 / 60 });
    const token = await signInPlayer(api, game.player.email);
    const badge = (await api.ok(BADGES, {}, token)).myBadges.find(
      (b: { key: string }) => b.key === "trading_master",
    );
    expect(badge.progress).toBe(76);
    expect(badge.state).toBe("IN_PROGRESS");
    expect(
      badge.rules.map((r: { metricKey: string; value: number }) => [r.metricKey, Math.round(r.value)]),
    ).toEqual([
      ["wins", 8],
      ["total_profit", 400],
      ["trades_closed", 60],
    ]);
    const stored = await api.ok(
      `query($id: ID!) { allUserAchievements(filter: { userId: $id }) { progress completed } }`,
      { id: game.player.id },
      game.admin.token,
    );
    expect(stored.allUserAchievements).toEqual([{ progress: 76, completed: false }]);

    for (let i = 0; i < 2; i++) await game.event("match_won");
    for (let i = 0; i < 39; i++) await game.event("position_closed", { value: 100 / 39 });
    const almost = (await api.ok(BADGES, {}, token)).myBadges.find(
      (b: { key: string }) => b.key === "trading_master",
    );
    expect(almost.state).toBe("IN_PROGRESS");
    expect(almost.progress).toBe(99);
    const last = await game.event("position_closed", { value: 1 });
    expect(
      last.data.recordEvent.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["trading_master"]);
    const done = (await api.ok(BADGES, {}, token)).myBadges.find(
      (b: { key: string }) => b.key === "trading_master",
    );
    expect(done).toMatchObject({ state: "EARNED", progress: 100 });
  });
});
