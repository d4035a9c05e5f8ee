import { schema } from "@laurel/db";
import { seededRandom } from "@laurel/engine";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest, type IntakeResult, type NewEvent, recordLocked } from "../src/scoring/intake.js";
import { lockUser } from "../src/scoring/locks.js";
import { Scoring } from "../src/scoring/state.js";
import { type WriteRequest, writePlans } from "../src/scoring/store.js";
import { gameTenant } from "./support/engine.js";
import { makeUser } from "./support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

/**
 * The intake's modes must agree: lock-free (a read, or this process's copy, then a guarded write) and
 * under the user's lock (`recordLocked`), both the scoring pipeline's read, plan and write. The same
 * random events go to two users, one down each; every result, and in the end the whole state each
 * leaves, must be the same. Which way each event went is read from its result (`path`), and statements
 * are told apart by the name each carries (`/* laurel:scoring.write *\/`).
 */
const statements: string[] = [];
/** The scoring layer's statements among `qs`, by name, in order. */
const named = (qs: readonly string[]) =>
  qs.flatMap((q) => /^\/\* laurel:(scoring\.[\w.-]+) \*\//.exec(q)?.[1] ?? []);
let api: TestApi;
beforeAll(async () => {
  // A database of its own on PostgreSQL: other files' catalog changes would move the catalog version under it.
  const database = await openTestDatabase({ onQuery: (q) => statements.push(q), own: true });
  api = await startTestServer({ database });
});
afterAll(async () => {
  await api.close();
  await api.database.close();
});

async function arena() {
  const game = await gameTenant(api, { timeZone: "Europe/Oslo" });
  const token = game.admin.token;
  const metric = async (fields: Record<string, unknown>) =>
    (
      await api.ok(
        `mutation($key: String!, $name: String!, $aggregation: MetricAggregation!, $eventTypes: [String!]!,
          $distinctAttribute: String, $window: MetricWindow, $streakUnit: StreakUnit, $resetEventTypes: [String!]) {
          createMetric(key: $key, name: $name, aggregation: $aggregation, eventTypes: $eventTypes,
            distinctAttribute: $distinctAttribute, window: $window, streakUnit: $streakUnit, resetEventTypes: $resetEventTypes) { key } }`,
        { name: String(fields.key), ...fields },
        token,
      )
    ).createMetric.key as string;
  // The kinds of metric whose state is more than a number: distinct members, a window, a streak, and a
  // distinct count of the badges the cascade earns.
  const metricsMade = [
    { key: "opponents", aggregation: "distinct", eventTypes: ["match_won"], distinctAttribute: "opponent" },
    { key: "weekly_wins", aggregation: "count", eventTypes: ["match_won"], window: "calendar_week" },
    { key: "win_days", aggregation: "current_streak", eventTypes: ["match_won"], streakUnit: "days" },
    {
      key: "badge_kinds",
      aggregation: "distinct",
      eventTypes: ["achievement_earned"],
      distinctAttribute: "category",
    },
  ];
  for (const fields of metricsMade) await metric(fields);
  const metrics = await api.ok(`{ allMetrics(perPage: 500) { id key } }`, {}, token);
  const metricId = (k: string) => metrics.allMetrics.find((m: { key: string }) => m.key === k)!.id as string;
  const rule = async (m: string, comparator: string, target: number, weight = 100) =>
    (
      await api.ok(
        `mutation($metricId: ID!, $comparator: Comparator!, $target: Float!, $weight: Int!) {
          createAchievementRule(name: "r", metricId: $metricId, comparator: $comparator, target: $target, weight: $weight) { id } }`,
        { metricId: metricId(m), comparator, target, weight },
        token,
      )
    ).createAchievementRule.id as string;
  const coin = (
    await api.ok(`mutation { createConsumable(name: "Coin", type: currency, value: 0.5) { id } }`, {}, token)
  ).createConsumable.id as string;
  const achievement = async (key: string, ruleIds: string[], fields: Record<string, unknown> = {}) => {
    const made = await game.achievement({ key, name: key, ruleIds, points: 10, ...fields });
    expect(made.errors).toBeUndefined();
  };
  await achievement("first_win", [await rule("wins", "gte", 1)], {
    rewards: [{ consumableId: coin, quantity: 3 }],
    category: "milestone",
  });
  await achievement("three_wins", [await rule("wins", "gte", 3)]);
  await achievement(
    "trader",
    [await rule("wins", "gte", 5, 40), await rule("total_profit", "gte", 200, 60)],
    {
      category: "trading",
      rewards: [{ consumableId: coin, quantity: 1 }],
    },
  );
  await achievement("weekly_pair", [await rule("weekly_wins", "gte", 2)], {
    isRepeatable: true,
    repeatPeriod: "weekly",
    category: "streak",
  });
  await achievement("hot_streak", [await rule("wins_in_row", "gte", 3)], { category: "streak" });
  await achievement("two_days", [await rule("win_days", "gte", 2)], { category: "activity" });
  await achievement("rivals", [await rule("opponents", "gte", 3)], { category: "social" });
  await achievement("level_five", [await rule("level", "gte", 5)], { category: "special" });
  await achievement("collector", [await rule("badges_earned", "gte", 3)], {
    category: "milestone",
    points: 25,
  });
  await achievement("rich", [await rule("points", "gte", 60)], { category: "milestone" });
  await achievement("all_kinds", [await rule("badge_kinds", "gte", 4)], { category: "special", points: 5 });
  await api.settle(game.organization.id);
  const tenant = {
    id: game.organization.id,
    timeZone: game.organization.timeZone,
    modules: game.organization.modules,
  };
  return { game, tenant };
}

const shape = (r: IntakeResult) => ({
  replayed: r.replayed,
  awards: r.awards.map((a) => ({
    key: a.achievement.key,
    periodKey: a.periodKey,
    points: a.pointsAwarded,
    completedAt: a.completedAt?.toISOString(),
    rewards: a.rewards,
  })),
  progress: r.progress,
});

async function stateOf(userId: string) {
  const db = api.database.db;
  const { metricValues: mv, userAchievements: ua, rewardLedger: rl, notifications: n, events: e } = schema;
  const { metricDistinctMembers: dm } = schema;
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    cells: sorted(
      await db
        .select({ m: mv.metricId, w: mv.windowKey, v: mv.value, s: mv.state })
        .from(mv)
        .where(eq(mv.userId, userId)),
    ),
    members: sorted(
      await db
        .select({ m: dm.metricId, w: dm.windowKey, v: dm.member })
        .from(dm)
        .where(eq(dm.userId, userId)),
    ),
    rows: sorted(
      (
        await db
          .select({
            a: ua.achievementId,
            p: ua.periodKey,
            progress: ua.progress,
            at: ua.completedAt,
            points: ua.pointsAwarded,
            by: ua.triggeringEventId,
          })
          .from(ua)
          .where(eq(ua.userId, userId))
      ).map((r) => ({ ...r, by: r.by !== null })),
    ),
    ledger: sorted(
      await db
        .select({ c: rl.consumableId, q: rl.quantity, u: rl.unitValue, d: rl.description, t: rl.type })
        .from(rl)
        .where(eq(rl.userId, userId)),
    ),
    notifications: sorted(
      await db.select({ t: n.title, b: n.body, d: n.data, type: n.type }).from(n).where(eq(n.userId, userId)),
    ),
    events: sorted(
      await db
        .select({ t: e.type, v: e.value, a: e.attributes, at: e.occurredAt, s: e.source })
        .from(e)
        .where(eq(e.userId, userId))
        .orderBy(asc(e.occurredAt)),
    ),
  };
}

/**
 * Feeds the same random events to two users of one tenant, one lock-free and one under the lock,
 * comparing every answer and then the state each leaves. With `churn`, the catalog version moves on
 * (as another admin's change would) before every third event, and between the read and the write of
 * every fifth, whose guard then fails and which is taken under the lock. Returns how many events went
 * each way.
 */
async function compare(seed: number, churn: boolean) {
  const { tenant } = await arena();
  const planned = await makeUser(api.database.db, { organizationId: tenant.id, role: "player" });
  const locked = await makeUser(api.database.db, { organizationId: tenant.id, role: "player" });
  const bump = () => api.database.db.execute(sql`update catalog_version set version = version + 1`);
  let sabotage = false;
  const scoring = new Scoring(api.database.db, {
    write: async (requests: readonly WriteRequest[]) => {
      if (sabotage) await bump();
      return writePlans(api.database.db, requests);
    },
  });
  const paths: Record<string, number> = {};
  const sabotaged: number[] = [];
  const next = seededRandom(seed);
  const now = new Date("2026-06-01T12:00:00Z");
  // Across the spring DST change in Oslo (29 March), a week boundary and several days.
  let clock = Date.parse("2026-03-26T20:00:00Z");
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  for (let i = 0; i < 60; i++) {
    const late = next() < 0.1;
    clock += Math.floor(next() * 14 * 3600_000);
    const occurredAt = new Date(late ? clock - 3 * 86400_000 : clock);
    const type = pick([
      "match_won",
      "match_won",
      "match_won",
      "match_lost",
      "position_closed",
      "level_changed",
    ]);
    const value =
      type === "position_closed"
        ? Math.round(next() * 200 - 50)
        : type === "level_changed"
          ? 1 + i / 8
          : null;
    const attributes = type === "match_won" ? { opponent: pick(["ann", "bo", "cy", "di"]) } : {};
    const input = (userId: string): NewEvent => ({
      userId,
      type,
      value,
      attributes,
      occurredAt,
      idempotencyKey: `e-${i}`,
      source: "api_key",
    });
    if (churn && i % 3 === 0) await bump();
    sabotage = churn && i % 5 === 0;
    const a = await ingest(scoring, tenant.id, input(planned.id), now);
    if (sabotage) sabotaged.push(i);
    if (a.path === "locked") expect(sabotaged, `event ${i} went under the lock unasked`).toContain(i);
    else if (sabotage) throw new Error(`event ${i}: its guard failed, yet it was taken ${a.path}`);
    paths[a.path] = (paths[a.path] ?? 0) + 1;
    const b = await api.database.db.transaction(async (tx) => {
      await lockUser(tx, tenant.id, locked.id);
      return recordLocked(tx, scoring, tenant, { ...input(locked.id), idempotencyKey: `l-${i}` }, now);
    });
    expect(b.path).toBe("locked");
    expect(shape(a), `event ${i}: ${type} at ${occurredAt.toISOString()}`).toEqual(shape(b));
  }
  sabotage = false;
  expect(await stateOf(planned.id)).toEqual(await stateOf(locked.id));
  // Something happened: awards, cascades included.
  expect((await stateOf(planned.id)).rows.length).toBeGreaterThan(8);
  expect(scoring.paths.locked).toBe(paths.locked ?? 0);
  return paths;
}

/**
 * The same random events to several users at once (their writes batched into shared statements, see
 * scoring/batch.ts) and, one at a time, to a user under the lock: every answer and every state the same.
 * Returns how many write statements the batched users' events took.
 */
async function compareBatched(seed: number, users: number, rounds: number) {
  const { tenant } = await arena();
  const scoring = new Scoring(api.database.db);
  const together = await Promise.all(
    Array.from({ length: users }, () =>
      makeUser(api.database.db, { organizationId: tenant.id, role: "player" }),
    ),
  );
  const locked = await makeUser(api.database.db, { organizationId: tenant.id, role: "player" });
  const next = seededRandom(seed);
  const now = new Date("2026-06-01T12:00:00Z");
  let clock = Date.parse("2026-05-20T08:00:00Z");
  let writes = 0;
  for (let i = 0; i < rounds; i++) {
    clock += Math.floor(next() * 20 * 3600_000);
    const type = next() < 0.8 ? "match_won" : "level_changed";
    const input = (userId: string, key: string): NewEvent => ({
      userId,
      type,
      value: type === "level_changed" ? 1 + i / 4 : null,
      attributes: type === "match_won" ? { opponent: ["ann", "bo", "cy"][i % 3] } : {},
      occurredAt: new Date(clock),
      idempotencyKey: key,
      source: "api_key",
    });
    const before = statements.length;
    const results = await Promise.all(
      together.map((u) => ingest(scoring, tenant.id, input(u.id, `b-${i}-${u.id}`), now)),
    );
    expect(results.map((r) => r.path)).not.toContain("locked");
    writes += named(statements.slice(before)).filter((n) => n === "scoring.write").length;
    const alone = await api.database.db.transaction(async (tx) => {
      await lockUser(tx, tenant.id, locked.id);
      return recordLocked(tx, scoring, tenant, input(locked.id, `l-${i}`), now);
    });
    for (const r of results) expect(shape(r), `round ${i}: ${type}`).toEqual(shape(alone));
  }
  const expected = await stateOf(locked.id);
  for (const u of together) expect(await stateOf(u.id)).toEqual(expected);
  expect(expected.rows.length).toBeGreaterThan(5);
  return writes;
}

describe("the planned intake and the one under the lock", () => {
  it("leave the same state and answer the same, event by event", async () => {
    // Every event lock-free (late streak events read their window's history first), most from a read.
    const paths = await compare(7, false);
    expect(paths.locked).toBeUndefined();
    expect((paths.planned ?? 0) + (paths.copy ?? 0)).toBe(60);
  });

  it("agree while the catalog keeps changing under them", async () => {
    for (const seed of [11, 12]) {
      const paths = await compare(seed, true);
      // Every fifth event's guard failed and it went under the lock; the rest stayed lock-free.
      expect(paths.locked).toBe(12);
      expect((paths.planned ?? 0) + (paths.copy ?? 0)).toBe(48);
    }
  });

  it("writes several users' events in shared statements, each as it would be alone", async () => {
    const users = 6;
    const rounds = 20;
    // Each round's events are planned in one turn of the event loop (after the first, from this
    // process's copies), so most rounds take one statement for all six users.
    const writes = await compareBatched(5, users, rounds);
    expect(writes).toBeGreaterThanOrEqual(rounds);
    expect(writes).toBeLessThan((users * rounds) / 3);
  });

  it("takes a user's concurrent events one after another from this process's copy, without the lock", async () => {
    const { tenant } = await arena();
    const scoring = new Scoring(api.database.db);
    const hot = await makeUser(api.database.db, { organizationId: tenant.id, role: "player" });
    const locked = await makeUser(api.database.db, { organizationId: tenant.id, role: "player" });
    const now = new Date("2026-06-01T12:00:00Z");
    const input = (userId: string, i: number): NewEvent => ({
      userId,
      type: "match_won",
      value: null,
      attributes: { opponent: ["ann", "bo"][i % 2] },
      // One moment for all: taken in any order, none is late for the streak (a late one needs history).
      occurredAt: new Date("2026-05-28T08:00:00Z"),
      idempotencyKey: `hot-${userId}-${i}`,
      source: "api_key",
    });
    // The first event reads what the user's events need; this process keeps a copy.
    await ingest(scoring, tenant.id, input(hot.id, 0), now);
    const start = statements.length;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ingest(scoring, tenant.id, input(hot.id, i + 1), now)),
    );
    // One write each; besides, one read (of the member "bo", which the copy had not seen), and no lock:
    // each event waited for the one before it, then was planned from what that one wrote.
    expect(statements.slice(start)).toHaveLength(11);
    expect(named(statements.slice(start)).sort()).toEqual([
      "scoring.read",
      ...Array(10).fill("scoring.write"),
    ]);
    expect(results.map((r) => r.path).sort()).toEqual([...Array(9).fill("copy"), "planned"]);
    const alone: IntakeResult[] = [];
    for (let i = 0; i <= 10; i++)
      alone.push(
        await api.database.db.transaction(async (tx) => {
          await lockUser(tx, tenant.id, locked.id);
          return recordLocked(tx, scoring, tenant, input(locked.id, i), now);
        }),
      );
    // Taken in another order, so each answer may differ; the awards, and the state, may not.
    const awarded = (rs: IntakeResult[]) => rs.flatMap((r) => r.awards.map((a) => a.achievement.key)).sort();
    expect(awarded(results)).toEqual(awarded(alone.slice(1)));
    expect(await stateOf(hot.id)).toEqual(await stateOf(locked.id));
  });

  it("an event's writes go in one statement, whether it completes nothing or a cascade", async () => {
    const game = await gameTenant(api);
    const rule = (m: string, target: number) => game.rule(`${m} ${target}`, m, "gte", target, 100);
    await game.achievement({ key: "w1", name: "w1", ruleIds: [await rule("wins", 1)], points: 10 });
    await game.achievement({ key: "b1", name: "b1", ruleIds: [await rule("badges_earned", 1)], points: 10 });
    await game.achievement({ key: "p20", name: "p20", ruleIds: [await rule("points", 20)] });
    await api.settle(game.organization.id);
    await game.event("match_lost", { key: "warm" });
    let start = statements.length;
    const quiet = await game.event("match_lost", { key: "quiet" });
    expect(quiet.errors).toBeUndefined();
    const quietStatements = statements.slice(start);
    start = statements.length;
    const cascade = await game.event("match_won", { key: "cascade" });
    const cascadeStatements = statements.slice(start);
    expect(
      cascade.data.recordEvent.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["w1", "b1", "p20"]);
    // The intake's statements, by name: the API key's sign-in, and the awards' rewards the query asks
    // for, are Drizzle's; none of those writes.
    const writesElsewhere = (qs: string[]) =>
      qs.filter((q) => !q.startsWith("/* laurel:") && /^\s*(insert|update|delete)\b/i.test(q));
    expect(writesElsewhere(quietStatements)).toEqual([]);
    expect(writesElsewhere(cascadeStatements)).toEqual([]);
    // The second loss is planned from what this process wrote for the first: no read. The win needs
    // cells and rows the losses did not, so it reads them first; the next win reads nothing again.
    expect(named(quietStatements)).toEqual(["scoring.write"]);
    expect(named(cascadeStatements)).toEqual(["scoring.read", "scoring.write"]);
    start = statements.length;
    const again = await game.event("match_won", { key: "again" });
    expect(again.data.recordEvent.awards).toEqual([]);
    expect(named(statements.slice(start))).toEqual(["scoring.write"]);
  });
});
