import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor } from "./support/factories.js";
import { BADGES, gameTenant, signInPlayer } from "./support/engine.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    // "platform-test": a module no tenant has, so other tests sharing the database never see its badge.
    env: {
      LAUREL_DEV_LOGIN_CODE: "12345",
      LAUREL_MODULES: "achievements-gamification,certification-training,platform-test",
    },
  });
});
afterAll(() => api.close());

const issuesOf = (result: { errors?: { extensions?: Record<string, any> }[] }) =>
  (result.errors?.[0]?.extensions?.issues ?? []).map(
    (i: { field: string; rule: string }) => `${i.field}:${i.rule}`,
  );

async function count(table: typeof schema.achievements, organizationId: string) {
  return (await api.database.db.select().from(table).where(eq(table.organizationId, organizationId))).length;
}

describe("seed 000 validation rules", () => {
  it.each([
    ["key_format", { key: "First Win!" }, "key:key_format"],
    ["name_not_empty", { name: "   " }, "name:name_not_empty"],
    ["points_non_negative", { points: -5 }, "points:points_non_negative"],
    [
      "threshold_required_for_count_triggers",
      { triggerType: "activity_count", category: "milestone" },
      "triggerThreshold:threshold_required_for_count_triggers",
    ],
    [
      "repeat_period_requires_repeatable",
      { repeatPeriod: "yearly", isRepeatable: false, triggerType: "manual" },
      "repeatPeriod:repeat_period_requires_repeatable",
    ],
  ] as [string, Record<string, unknown>, string][])(
    "%s refuses the save and changes nothing",
    async (_rule, fields, expected) => {
      const game = await gameTenant(api);
      const ruleId = await game.rule("Win", "wins", "gte", 1, 100);
      const result = await game.achievement({
        name: "Valid name",
        ruleIds: fields.triggerType ? [] : [ruleId],
        ...fields,
      });
      expect(result.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
      expect(issuesOf(result)).toContain(expected);
      expect(await count(schema.achievements, game.organization.id)).toBe(0);
    },
  );

  it("refuses rules whose weights do not sum to 100", async () => {
    const game = await gameTenant(api);
    const rules = [
      await game.rule("A", "wins", "gte", 5, 60),
      await game.rule("B", "deposits", "gte", 1, 30),
    ];
    const result = await game.achievement({ name: "Uneven", ruleIds: rules });
    expect(issuesOf(result)).toEqual(["ruleIds:rule_weights_sum_100"]);
    const fixed = await game.achievement({
      name: "Even",
      ruleIds: [...rules, await game.rule("C", "invite", "gte", 1, 10)],
    });
    expect(fixed.errors).toBeUndefined();
  });

  it("icon_url_format is an error: a link that is not http(s) or an upload is refused", async () => {
    const game = await gameTenant(api);
    const result = await game.achievement({
      name: "Odd icon",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
      iconUrl: "badge icon.png",
    });
    expect(issuesOf(result)).toEqual(["iconUrl:icon_url_format"]);
    expect(await count(schema.achievements, game.organization.id)).toBe(0);
    const good = await game.achievement({
      name: "Good icon",
      ruleIds: [await game.rule("W2", "wins", "gte", 1, 100)],
      iconUrl: "https://cdn.example.org/badges/win.png",
    });
    expect(good.data.createAchievement.warnings).toEqual([]);
    expect(good.extensions?.warnings).toBeUndefined();
  });

  it("needs the permissions of seed 001", async () => {
    const game = await gameTenant(api);
    const coordinator = await game.as("coordinator");
    const result = await api.gql(
      `mutation { createAchievement(key: "x", name: "X", description: "X", category: special, triggerType: manual) { id } }`,
      {},
      coordinator.token,
    );
    expect(result.errors![0]!.extensions).toMatchObject({
      code: "FORBIDDEN",
      permission: "create:achievementDefinitions",
    });
  });
});

describe("seed 000 business rules", () => {
  it("module_gate: an achievement of a module that is off is neither shown nor unlockable", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Certified",
      requiresModule: "certification-training",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
    });
    expect(made.errors).toBeUndefined();
    const token = await signInPlayer(api, game.player.email);
    const keys = async () => (await api.ok(BADGES, {}, token)).myBadges.map((b: { key: string }) => b.key);
    expect(await keys()).not.toContain(made.data.createAchievement.key);
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
    await api.ok(
      `mutation($id: ID!) { updateOrganization(id: $id, modules: ["achievements-gamification", "certification-training"]) { id } }`,
      { id: game.organization.id },
      (await actor(api, null, "global_admin")).token,
    );
    await api.settle(game.organization.id);
    expect(await keys()).toContain(made.data.createAchievement.key);
    // The win recorded while the module was off counts once it is on: the module's backfill awarded it.
    const badges = (await api.ok(BADGES, {}, token)).myBadges;
    expect(badges.find((b: { key: string }) => b.key === made.data.createAchievement.key)).toMatchObject({
      state: "EARNED",
    });
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
  });

  it("one_time_per_user: a non-repeatable achievement is held once, whatever happens", async () => {
    const game = await gameTenant(api);
    await game.achievement({ name: "Winner", ruleIds: [await game.rule("W", "wins", "gte", 1, 100)] });
    await game.event("match_won");
    await game.event("match_won");
    const rows = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.userId, game.player.id));
    expect(rows.filter((r) => r.completedAt)).toHaveLength(1);
  });

  it("repeatable achievements are earned once per period", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Monthly depositor",
      triggerType: "rules",
      ruleIds: [await game.rule("Deposit", "deposits", "gte", 1, 100)],
      isRepeatable: true,
      repeatPeriod: "monthly",
    });
    const id = made.data.createAchievement.id;
    // Its backfill first: on a shared database another test's server, whose clock may stand in June
    // 2026, can run it, and would award June's period to a player who already deposited.
    await api.settle(game.organization.id);
    const deposit = (at: string) =>
      api.gql(
        `mutation($u: ID!, $at: DateTimeISO) { recordEvent(userId: $u, type: "deposit", occurredAt: $at) { awards { periodKey } } }`,
        { u: game.player.id, at },
        game.backend,
      );
    expect((await deposit("2026-05-03T10:00:00Z")).data.recordEvent.awards).toEqual([
      { periodKey: "2026-05" },
    ]);
    expect((await deposit("2026-05-20T10:00:00Z")).data.recordEvent.awards).toEqual([]);
    expect((await deposit("2026-06-01T10:00:00Z")).data.recordEvent.awards).toEqual([
      { periodKey: "2026-06" },
    ]);
    const rows = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.achievementId, id));
    expect(rows.map((r) => r.periodKey).sort()).toEqual(["2026-05", "2026-06"]);
  });

  it("inactive_not_awarded: not judged, not shown, and existing awards are kept", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Winner",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
    });
    const id = made.data.createAchievement.id;
    await game.event("match_won");
    await api.ok(
      `mutation($id: ID!) { updateAchievement(id: $id, isActive: false) { isActive } }`,
      { id },
      game.admin.token,
    );
    const token = await signInPlayer(api, game.player.email);
    expect(
      (await api.ok(BADGES, {}, token)).myBadges.map((b: { achievementId: string }) => b.achievementId),
    ).not.toContain(id);
    const kept = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.achievementId, id));
    expect(kept.filter((r) => r.completedAt)).toHaveLength(1);

    await game.achievement({
      name: "Dormant",
      isActive: false,
      ruleIds: [await game.rule("L", "losses", "gte", 1, 100)],
    });
    expect((await game.event("match_lost")).data.recordEvent.awards).toEqual([]);
  });

  it("platform_badge_immutable: only a Global Administrator creates or changes platform-wide achievements", async () => {
    const game = await gameTenant(api);
    const global = await actor(api, null, "global_admin");
    const platform = await api.ok(
      `mutation { createAchievement(key: "platform_hello", name: "Hello", description: "Platform-wide", category: special, triggerType: manual,
        requiresModule: "platform-test") { id isPlatform organizationId } }`,
      {},
      global.token,
    );
    expect(platform.createAchievement).toMatchObject({ isPlatform: true, organizationId: null });
    const id = platform.createAchievement.id;
    const edit = await api.gql(
      `mutation($id: ID!) { updateAchievement(id: $id, name: "Mine now") { id } }`,
      { id },
      game.admin.token,
    );
    expect(edit.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const remove = await api.gql(
      `mutation($id: ID!) { deleteAchievement(id: $id) { id } }`,
      { id },
      game.admin.token,
    );
    expect(remove.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const visible = await api.ok(
      `query($id: ID!) { Achievement(id: $id) { name isPlatform } }`,
      { id },
      game.admin.token,
    );
    expect(visible.Achievement).toEqual({ name: "Hello", isPlatform: true });
    const changed = await api.ok(
      `mutation($id: ID!) { updateAchievement(id: $id, name: "Hello, world") { name } }`,
      { id },
      global.token,
    );
    expect(changed.updateAchievement.name).toBe("Hello, world");
    await api.ok(`mutation($id: ID!) { deleteAchievement(id: $id) { id } }`, { id }, global.token);
  });

  it("annual_badge_annual_summary_link: the annual badge repeats yearly and is never earned by events or by hand", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Your year",
      triggerType: "annual_summary",
      category: "annual",
      ruleIds: [],
    });
    expect(made.errors).toBeUndefined();
    const id = made.data.createAchievement.id;
    const stored = await api.ok(
      `query($id: ID!) { Achievement(id: $id) { isRepeatable repeatPeriod } }`,
      { id },
      game.admin.token,
    );
    expect(stored.Achievement).toEqual({ isRepeatable: true, repeatPeriod: "yearly" });
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
    const grant = await api.gql(
      `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
      { u: game.player.id, a: id },
      game.admin.token,
    );
    expect(issuesOf(grant)).toEqual(["achievementId:annual_badge_annual_summary_link"]);
  });

  it("hidden achievements are left out until earned; expired ones are not judged", async () => {
    const game = await gameTenant(api);
    const hidden = await game.achievement({
      name: "Secret loser",
      isHidden: true,
      ruleIds: [await game.rule("L", "losses", "gte", 2, 100)],
    });
    const expired = await game.achievement({
      name: "Too late",
      expiresAt: "2026-01-01T00:00:00Z",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
    });
    const token = await signInPlayer(api, game.player.email);
    const find = async (id: string) =>
      (await api.ok(BADGES, {}, token)).myBadges.find(
        (b: { achievementId: string }) => b.achievementId === id,
      );
    expect(await find(hidden.data.createAchievement.id)).toBeUndefined();
    expect(await find(expired.data.createAchievement.id)).toBeUndefined();
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
    await game.event("match_lost");
    await game.event("match_lost");
    expect(await find(hidden.data.createAchievement.id)).toMatchObject({
      name: "Secret loser",
      state: "EARNED",
    });
  });

  it("manual achievements are granted by hand, once, with their rewards", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Helper of the month",
      triggerType: "manual",
      category: "special",
      ruleIds: [],
      points: 5,
    });
    const id = made.data.createAchievement.id;
    const coordinator = await game.as("coordinator");
    const grant = `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { completed pointsAwarded grantedById } }`;
    const first = await api.ok(grant, { u: game.player.id, a: id }, coordinator.token);
    expect(first.grantAchievement).toEqual({
      completed: true,
      pointsAwarded: 5,
      grantedById: coordinator.user.id,
    });
    const again = await api.gql(grant, { u: game.player.id, a: id }, coordinator.token);
    expect(issuesOf(again)).toEqual(["achievementId:one_time_per_user"]);
    const player = await game.as("player");
    const denied = await api.gql(grant, { u: player.user.id, a: id }, player.token);
    expect(denied.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });

  it("an achievement someone earned cannot be deleted, only deactivated", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Winner",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
    });
    await game.event("match_won");
    const result = await api.gql(
      `mutation($id: ID!) { deleteAchievement(id: $id) { id } }`,
      { id: made.data.createAchievement.id },
      game.admin.token,
    );
    expect(issuesOf(result)).toEqual(["id:has_awards"]);
  });
});
