import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTenant } from "./support/engine.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" } });
});
afterAll(() => api.close());

const STATS = `query($weeks: Int) { dashboardStats(weeks: $weeks) {
  badgesPerWeek { weekStart count }
  mostEarned { name count }
  leastEarned { name count }
  pendingSummaries pendingBackfills runningBackfills } }`;

describe("dashboardStats", () => {
  it("counts the organization's badges per week and ranks its achievements, and nobody else's", async () => {
    const game = await gameTenant(api);
    const other = await gameTenant(api);
    const win = await game.rule("First Win Rule", "wins", "gte", 1, 100);
    const three = await game.rule("Three wins", "wins", "gte", 3, 100);
    expect((await game.achievement({ name: "First Win", ruleIds: [win] })).errors).toBeUndefined();
    expect((await game.achievement({ name: "Hat Trick", ruleIds: [three] })).errors).toBeUndefined();
    const otherWin = await other.rule("Their rule", "wins", "gte", 1, 100);
    expect((await other.achievement({ name: "Theirs", ruleIds: [otherWin] })).errors).toBeUndefined();
    await api.settle(game.organization.id);
    await api.settle(other.organization.id);

    expect((await game.event("match_won")).data.recordEvent.awards).toHaveLength(1);
    await other.event("match_won");

    const stats = (await api.ok(STATS, { weeks: 4 }, game.admin.token)).dashboardStats;
    expect(stats.badgesPerWeek).toHaveLength(4);
    expect(stats.badgesPerWeek.at(-1).count).toBe(1);
    expect(stats.badgesPerWeek.reduce((s: number, w: { count: number }) => s + w.count, 0)).toBe(1);
    expect(new Date(`${stats.badgesPerWeek[0].weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(stats.mostEarned[0]).toEqual({ name: "First Win", count: 1 });
    expect(stats.leastEarned[0]).toEqual({ name: "Hat Trick", count: 0 });
    const names = [...stats.mostEarned, ...stats.leastEarned].map((a: { name: string }) => a.name);
    expect(names).not.toContain("Theirs");
    expect(stats).toMatchObject({ pendingSummaries: 0, pendingBackfills: 0, runningBackfills: 0 });
  });

  it("needs read:progress and refuses an out-of-range window", async () => {
    const game = await gameTenant(api);
    const player = await game.as("player");
    const refused = await api.gql(STATS, {}, player.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await api.gql(STATS, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const bad = await api.gql(STATS, { weeks: 0 }, game.admin.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "weeks", rule: "weeks_range" }],
    });
  });
});
