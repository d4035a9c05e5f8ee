import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTenant, signInPlayer } from "./support/engine.js";
import { unique } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    env: { LAUREL_DEV_LOGIN_CODE: "12345", LAUREL_MODULES: "achievements-gamification,premium-pack" },
  });
});
afterAll(() => api.close());

const ACHIEVEMENT = `query($id: ID!) { Achievement(id: $id) { id name description rules { id name } } }`;
const HIDDEN_LIST = `{ allAchievements(filter: { isHidden: true }) { id name } _allAchievementsMeta(filter: { isHidden: true }) { count } }`;
const STANDING = `{ myStanding { hiddenRemaining rewards { description } } }`;
const ids = (rows: { achievementId?: string; id?: string }[]) => rows.map((r) => r.achievementId ?? r.id);

async function hiddenGame() {
  const game = await gameTenant(api);
  const reward = await api.ok(
    `mutation { createConsumable(name: "Secret boost", type: exp, value: 5) { id } }`,
    {},
    game.admin.token,
  );
  const ruleId = await game.rule("Lose twice", "losses", "gte", 2, 100);
  const made = await game.achievement({
    name: "Secret loser",
    description: "Lost twice, learned twice",
    isHidden: true,
    ruleIds: [ruleId],
    rewards: [{ consumableId: reward.createConsumable.id }],
  });
  const id = made.data.createAchievement.id as string;
  await api.settle(game.organization.id);
  const reader = await api.ok(
    `mutation { createApiKey(name: "reader", permissions: ["read:progress", "ingest:events"]) { secret } }`,
    {},
    game.admin.token,
  );
  return {
    game,
    id,
    ruleId,
    token: await signInPlayer(api, game.player.email),
    reader: { apiKey: reader.createApiKey.secret as string },
  };
}

describe("a hidden achievement", () => {
  it("is left out for the participant until earned, then shows everywhere; an API key never sees it", async () => {
    const { game, id, ruleId, token, reader } = await hiddenGame();

    // Before: nowhere, but counted.
    expect(ids((await api.ok(`{ myBadges { achievementId } }`, {}, token)).myBadges)).not.toContain(id);
    expect((await api.ok(STANDING, {}, token)).myStanding.hiddenRemaining).toBe(1);
    expect((await api.gql(ACHIEVEMENT, { id }, token)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await api.ok(HIDDEN_LIST, {}, token)).toEqual({
      allAchievements: [],
      _allAchievementsMeta: { count: 0 },
    });
    const rule = `query($id: ID!) { AchievementRule(id: $id) { id name } }`;
    expect((await api.gql(rule, { id: ruleId }, token)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    // The backend reports the events that earn it: neither the progress nor the award shows to it.
    const first = await api.gql(
      `mutation($u: ID!) { recordEvent(userId: $u, type: "match_lost") { progress { achievementId } awards { achievementId } } }`,
      { u: game.player.id },
      reader,
    );
    expect(
      first.data.recordEvent.progress.map((p: { achievementId: string }) => p.achievementId),
    ).not.toContain(id);
    const second = await api.ok(
      `mutation($u: ID!) { recordEvent(userId: $u, type: "match_lost") {
        progress { achievementId } awards { achievementId achievement { name } } } }`,
      { u: game.player.id },
      reader,
    );
    expect(second.recordEvent.awards).toEqual([]);
    expect(JSON.stringify(second)).not.toContain(id);

    // After: the participant sees it, its rules, its notification and its reward line.
    const badge = (await api.ok(`{ myBadges { achievementId name state } }`, {}, token)).myBadges.find(
      (b: { achievementId: string }) => b.achievementId === id,
    );
    expect(badge).toEqual({ achievementId: id, name: "Secret loser", state: "EARNED" });
    expect(await api.ok(STANDING, {}, token)).toEqual({
      myStanding: { hiddenRemaining: 0, rewards: [{ description: "Secret boost for Secret loser" }] },
    });
    expect((await api.ok(ACHIEVEMENT, { id }, token)).Achievement).toMatchObject({
      name: "Secret loser",
      rules: [{ id: ruleId, name: "Lose twice" }],
    });
    expect((await api.ok(rule, { id: ruleId }, token)).AchievementRule.name).toBe("Lose twice");
    expect((await api.ok(HIDDEN_LIST, {}, token))._allAchievementsMeta.count).toBe(1);
    const notes = (await api.ok(`{ myNotifications { title } }`, {}, token)).myNotifications;
    expect(notes).toContainEqual({ title: "Badge earned: Secret loser" });

    // The backend still does not, wherever it looks.
    const asKey = await api.gql(
      `query($u: ID!) { allUserAchievements(filter: { userId: $u }) { achievementId achievement { name } }
        userProgress(userId: $u) { achievementId name } userStanding(userId: $u) { rewards { description } }
        allAchievements { id } dashboardStats { mostEarned { achievementId name } } }`,
      { u: game.player.id },
      reader,
    );
    expect(asKey.errors).toBeUndefined();
    expect(JSON.stringify(asKey.data)).not.toContain(id);
    expect(JSON.stringify(asKey.data)).not.toContain("Secret loser");
    expect((await api.gql(ACHIEVEMENT, { id }, reader)).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("shows in a peer mentor's own activity result once earned, and not before", async () => {
    const org = await volunteerTenant(api);
    const made = await api.ok(
      `mutation { createAchievement(key: "secret_pair", name: "Secret pair", description: "Two visits", category: activity,
        triggerType: activity_count, triggerThreshold: 2, isHidden: true) { id } }`,
      {},
      org.admin.token,
    );
    const id = made.createAchievement.id as string;
    await api.settle(org.organization.id);
    const log = () =>
      api.ok(
        `mutation($t: ID!) { logActivity(activityTypeId: $t, durationMinutes: 30) {
          progress { achievementId } awards { achievementId achievement { name } } } }`,
        { t: org.types.home_visit },
        org.token,
      );
    const first = await log();
    expect(JSON.stringify(first)).not.toContain(id);
    const second = await log();
    expect(second.logActivity.awards).toEqual([{ achievementId: id, achievement: { name: "Secret pair" } }]);
    expect(second.logActivity.progress).toContainEqual({ achievementId: id });
  });
});

describe("another user's progress, read by someone who is not a keeper of the catalog", () => {
  it("shows a hidden badge only once that user earned it, never through the reader's own award", async () => {
    const { game, id, reader } = await hiddenGame();
    // A participant role that may read progress: a team captain looking at a teammate.
    const role = await api.ok(
      `mutation($key: String!) { createRole(key: $key, name: "Team captain", isParticipant: true,
        permissions: ["read:progress"]) { id } }`,
      { key: unique("captain_") },
      game.admin.token,
    );
    const captain = await game.as({ id: role.createRole.id });
    const progressOf = async (userId: string) =>
      ids(
        (
          await api.ok(
            `query($u: ID!) { userProgress(userId: $u) { achievementId } }`,
            { u: userId },
            captain.token,
          )
        ).userProgress,
      );
    const lose = (userId: string) =>
      api.ok(
        `mutation($u: ID!) { recordEvent(userId: $u, type: "match_lost") { replayed } }`,
        { u: userId },
        reader,
      );

    // The captain earns it: their own progress shows it, the teammate's (not earned) does not.
    await lose(captain.user.id);
    await lose(captain.user.id);
    expect(await progressOf(captain.user.id)).toContain(id);
    expect(await progressOf(game.player.id)).not.toContain(id);

    // The teammate earns it: it shows in theirs, as it does to them.
    await lose(game.player.id);
    await lose(game.player.id);
    expect(await progressOf(game.player.id)).toContain(id);

    // And the other way round: a second captain who has not earned it learns of it through the teammate's award.
    const other = await game.as({ id: role.createRole.id });
    const seen = await api.ok(
      `query($u: ID!) { userProgress(userId: $u) { achievementId name state } }`,
      { u: game.player.id },
      other.token,
    );
    expect(seen.userProgress).toContainEqual({ achievementId: id, name: "Secret loser", state: "EARNED" });
    expect(ids((await api.ok(`{ myBadges { achievementId } }`, {}, other.token)).myBadges)).not.toContain(id);
  });
});

describe("admins", () => {
  it("still see every achievement of their tenant: hidden, inactive and gated, with their rules", async () => {
    const { game, id, ruleId } = await hiddenGame();
    const admin = game.admin.token;
    const inactive = await game.achievement({
      name: "Retired",
      isActive: false,
      ruleIds: [await game.rule("Old", "wins", "gte", 9, 100)],
    });
    const gated = await game.achievement({
      name: "Premium",
      requiresModule: "premium-pack",
      ruleIds: [await game.rule("Premium rule", "wins", "gte", 9, 100)],
    });
    const all = await api.ok(
      `{ allAchievements(perPage: 500) { id name isHidden isActive requiresModule } allAchievementRules(perPage: 500) { id } }`,
      {},
      admin,
    );
    expect(ids(all.allAchievements)).toEqual(
      expect.arrayContaining([id, inactive.data.createAchievement.id, gated.data.createAchievement.id]),
    );
    expect(ids(all.allAchievementRules)).toContain(ruleId);
    expect((await api.ok(HIDDEN_LIST, {}, admin)).allAchievements).toEqual([{ id, name: "Secret loser" }]);
    expect((await api.ok(ACHIEVEMENT, { id }, admin)).Achievement.rules).toEqual([
      { id: ruleId, name: "Lose twice" },
    ]);
    // A coordinator (read:progress, not a participant) sees a player's progress on it, unearned.
    const coordinator = await game.as("coordinator");
    const progress = await api.ok(
      `query($u: ID!) { userProgress(userId: $u) { achievementId name } }`,
      { u: game.player.id },
      coordinator.token,
    );
    expect(progress.userProgress).toContainEqual({ achievementId: id, name: "Secret loser" });
  });
});
