import { schema } from "@laurel/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BADGES, gameTenant, signInPlayer } from "./support/engine.js";
import { READ } from "../src/scoring/statements.js";
import { makeUser } from "./support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

/** Every statement sent, so tests can count what one request costs; the scoring layer's with their parameters. */
const statements: string[] = [];
const sent: { text: string; params: unknown[] }[] = [];
let api: TestApi;
beforeAll(async () => {
  const database = await openTestDatabase({
    onQuery: (text, params) => {
      statements.push(text);
      sent.push({ text, params });
    },
  });
  api = await startTestServer({ database, env: { LAUREL_DEV_LOGIN_CODE: "12345" } });
});
afterAll(async () => {
  await api.close();
  await api.database.close();
});

async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; queries: string[]; scoring: { name: string; params: unknown[] }[] }> {
  await api.server.services.jobs.idle();
  const start = statements.length;
  const result = await work();
  const scoring = sent.slice(start).flatMap(({ text, params }) => {
    const name = /^\/\* laurel:(scoring\.[\w.-]+) \*\//.exec(text)?.[1];
    return name ? [{ name, params }] : [];
  });
  return { result, queries: statements.slice(start), scoring };
}

async function metricValue(userId: string, metricId: string) {
  const [row] = await api.database.db
    .select({ value: schema.metricValues.value })
    .from(schema.metricValues)
    .where(
      and(
        eq(schema.metricValues.userId, userId),
        eq(schema.metricValues.metricId, metricId),
        eq(schema.metricValues.windowKey, "all"),
      ),
    );
  return row?.value ?? 0;
}

describe("exactly-once awards under concurrency", () => {
  it("200 concurrent events crossing a one-time threshold: one award, one set of grants, one notification, exact metrics", async () => {
    const game = await gameTenant(api);
    const boost = await api.ok(
      `mutation { createConsumable(name: "Boost", type: boost, value: 2) { id } }`,
      {},
      game.admin.token,
    );
    await game.achievement({
      name: "Hundred wins",
      ruleIds: [await game.rule("100 wins", "wins", "gte", 100, 100)],
      rewards: [{ consumableId: boost.createConsumable.id, quantity: 3 }],
      points: 50,
    });
    await api.settle(game.organization.id);

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => game.event("match_won", { key: `win-${i}` })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const awarded = results.flatMap((r) => r.data.recordEvent.awards);
    expect(awarded).toHaveLength(1);

    const db = api.database.db;
    const awards = await db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.userId, game.player.id));
    expect(awards.filter((a) => a.completedAt)).toHaveLength(1);
    const ledger = await db
      .select()
      .from(schema.rewardLedger)
      .where(eq(schema.rewardLedger.userId, game.player.id));
    expect(ledger.map((l) => l.quantity)).toEqual([3]);
    const notes = await db
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.userId, game.player.id));
    expect(notes).toHaveLength(1);
    expect(await metricValue(game.player.id, game.metricId("wins"))).toBe(200);
    expect(await metricValue(game.player.id, game.metricId("matches"))).toBe(200);
    expect(await metricValue(game.player.id, game.metricId("badges_earned"))).toBe(1);
    expect(await metricValue(game.player.id, game.metricId("points"))).toBe(50);
  });
});

describe("idempotency", () => {
  it("counts a replayed key once, returning the first result; refuses the key with another payload", async () => {
    const game = await gameTenant(api);
    await game.achievement({
      name: "First deposit",
      ruleIds: [await game.rule("Deposit", "deposits", "gte", 1, 100)],
    });
    const first = await game.event("deposit", { key: "dep-1", value: 100 });
    expect(first.data.recordEvent).toMatchObject({ replayed: false, awards: [{ completed: true }] });
    const replays = await Promise.all(
      Array.from({ length: 20 }, () => game.event("deposit", { key: "dep-1", value: 100 })),
    );
    for (const replay of replays) {
      expect(replay.data.recordEvent.replayed).toBe(true);
      expect(replay.data.recordEvent.event.id).toBe(first.data.recordEvent.event.id);
      expect(replay.data.recordEvent.awards.map((a: { achievementId: string }) => a.achievementId)).toEqual(
        first.data.recordEvent.awards.map((a: { achievementId: string }) => a.achievementId),
      );
    }
    expect(await metricValue(game.player.id, game.metricId("deposits"))).toBe(1);
    const rows = await api.database.db
      .select()
      .from(schema.events)
      .where(eq(schema.events.idempotencyKey, "dep-1"));
    expect(rows.filter((r) => r.organizationId === game.organization.id)).toHaveLength(1);

    const other = await game.event("deposit", { key: "dep-1", value: 999 });
    expect(other.data).toBeNull();
    expect(other.errors![0]!.extensions).toMatchObject({
      code: "CONFLICT",
      field: "idempotencyKey",
      rule: "idempotency_key_reused",
    });
    expect(await metricValue(game.player.id, game.metricId("deposits"))).toBe(1);
  });

  it("keeps keys apart between tenants", async () => {
    const a = await gameTenant(api);
    const b = await gameTenant(api);
    expect((await a.event("deposit", { key: "same" })).data.recordEvent.replayed).toBe(false);
    expect((await b.event("deposit", { key: "same" })).data.recordEvent.replayed).toBe(false);
  });
});

describe("cost does not grow with size", () => {
  it("the badge catalog costs the same few statements for 5 achievements and for 30", async () => {
    const game = await gameTenant(api);
    const token = await signInPlayer(api, game.player.email);
    const addAchievements = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const rules = [
          await game.rule(`W${i}`, "wins", "gte", i + 1, 60),
          await game.rule(`P${i}`, "total_profit", "gte", 100 * (i + 1), 40),
        ];
        await game.achievement({ name: `Badge ${i}`, ruleIds: rules, isHidden: i % 5 === 0 });
      }
      await api.settle(game.organization.id);
    };
    await addAchievements(5);
    const small = await measure(() => api.ok(BADGES, {}, token));
    await addAchievements(25);
    const large = await measure(() => api.ok(BADGES, {}, token));
    // Every fifth is hidden and left out until earned.
    expect(small.result.myBadges).toHaveLength(4);
    expect(large.result.myBadges).toHaveLength(24);
    expect(large.queries.length).toBe(small.queries.length);
    // Some statements were seen (the badges are read from the database), and a handful at most.
    expect(large.queries.length).toBeGreaterThan(0);
    expect(large.queries.length).toBeLessThanOrEqual(3);
  });

  it("intake never reads the user's event history: the same statements for a user with none and with 500 events", async () => {
    const game = await gameTenant(api);
    await game.achievement({
      name: "Five wins",
      ruleIds: [await game.rule("5 wins", "wins", "gte", 5, 100)],
    });
    await api.settle(game.organization.id);
    const veteran = await makeUser(api.database.db, { organizationId: game.organization.id, role: "player" });
    for (let i = 0; i < 500; i += 100) {
      // History, written straight to the table: the intake must not need to read it.
      await api.database.db.insert(schema.events).values(
        Array.from({ length: 100 }, (_, k) => ({
          organizationId: game.organization.id,
          userId: veteran.id,
          type: "match_won",
          occurredAt: new Date(Date.UTC(2025, 0, 1) + (i + k) * 60_000),
          source: "api_key" as const,
        })),
      );
    }
    // The tenant's catalog is read once, then cached until it changes: measured warm.
    await game.event("match_lost", { key: "warm-up" });
    // Both users' first events here: neither is known to this process yet.
    const newcomer = await makeUser(api.database.db, {
      organizationId: game.organization.id,
      role: "player",
    });
    const fresh = await measure(() => game.event("match_lost", { key: "fresh-1", userId: newcomer.id }));
    const old = await measure(() => game.event("match_lost", { key: "veteran-1", userId: veteran.id }));
    expect(old.result.errors).toBeUndefined();
    expect(old.queries.length).toBe(fresh.queries.length);
    // One read and one write of the scoring layer each, and the read asks for no event history.
    for (const run of [fresh, old]) {
      expect(run.scoring.map((s) => s.name)).toEqual(["scoring.read", "scoring.write"]);
      const users = run.scoring[0]!.params[Object.keys(READ.params).indexOf("users")];
      const asked = JSON.parse(String(users)) as { history: unknown[] }[];
      expect(asked).toHaveLength(1);
      expect(asked[0]!.history).toEqual([]);
    }
  });

  it("the cached catalog follows every change, even one made in SQL behind the API's back", async () => {
    const game = await gameTenant(api);
    const rule = await game.rule("3 wins", "wins", "gte", 3, 100);
    await game.achievement({ key: "three_wins", name: "Three wins", ruleIds: [rule] });
    await api.settle(game.organization.id);
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
    // Another process, or an operator, lowers the target; no API call tells this process.
    await api.database.db
      .update(schema.achievementRules)
      .set({ target: 2 })
      .where(eq(schema.achievementRules.id, rule));
    const second = await game.event("match_won");
    expect(
      second.data.recordEvent.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["three_wins"]);
    // A reward added in SQL is granted by the next award.
    const other = await game.achievement({
      key: "four_wins",
      name: "Four wins",
      ruleIds: [await game.rule("4 wins", "wins", "gte", 4, 100)],
    });
    await api.settle(game.organization.id);
    const [coin] = await api.database.db
      .insert(schema.consumables)
      .values({ organizationId: game.organization.id, name: "Gem", type: "item", value: 1 })
      .returning();
    await api.database.db
      .insert(schema.achievementRewards)
      .values({ achievementId: other.data.createAchievement.id, consumableId: coin!.id, quantity: 2 });
    await game.event("match_won");
    const fourth = await game.event("match_won");
    expect(fourth.data.recordEvent.awards).toMatchObject([
      { achievement: { key: "four_wins" }, rewards: [{ name: "Gem", quantity: 2 }] },
    ]);
  });
});

describe("bad events are refused by field and rule", () => {
  it("an attribute with a NUL character, which PostgreSQL cannot store, is a validation error", async () => {
    const game = await gameTenant(api);
    const result = await game.event("deposit", { attributes: { note: "a\u0000b" } });
    expect(result.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "attributes", rule: "nul_character" }],
    });
  });
});
