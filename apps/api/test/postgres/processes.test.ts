import { type DatabaseHandle, schema } from "@laurel/db";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization, makeUser, PASSWORD, unique } from "../support/factories.js";
import { startApiProcesses } from "../support/processes.js";
import { openTestDatabase } from "../support/server.js";

/**
 * Two real API processes on one PostgreSQL database, as in production behind a load balancer.
 */
const ports = [4731, 4732];
let db: DatabaseHandle;
let processes: Awaited<ReturnType<typeof startApiProcesses>> | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
  processes = await startApiProcesses(ports, {
    LAUREL_TOKEN_SECRET: "processes-test-secret-that-is-long-enough",
    DATABASE_POOL_SIZE: "20",
    // Thousands of requests with one API key in seconds: what is tested here is not its rate limit.
    LAUREL_API_KEY_RATE: "0",
  });
});

afterAll(async () => {
  processes?.stop();
  await db.close();
});

async function gql(
  port: number,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] };
}

/** A game tenant with "Hundred wins" (one rule, one reward) and a player, set up straight in the tables. */
async function arena() {
  const org = await makeOrganization(db.db);
  const admin = await makeUser(db.db, { organizationId: org.id, role: "org_admin" });
  const player = await makeUser(db.db, { organizationId: org.id, role: "player", password: false });
  const login = await gql(
    ports[0]!,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: admin.email, p: PASSWORD },
    {},
  );
  const token = login.data.login.token as string;
  const auth = { authorization: `Bearer ${token}` };
  const key = await gql(ports[0]!, `mutation { createApiKey(name: "game") { secret } }`, {}, auth);
  const [wins] = await db.db
    .select()
    .from(schema.metricDefinitions)
    .where(and(eq(schema.metricDefinitions.key, "wins")));
  const rule = await gql(
    ports[0]!,
    `mutation($m: ID!) { createAchievementRule(name: "Hundred", metricId: $m, comparator: gte, target: 100, weight: 100) { id } }`,
    { m: wins!.id },
    auth,
  );
  const boost = await gql(
    ports[0]!,
    `mutation { createConsumable(name: "Boost", type: boost, value: 1) { id } }`,
    {},
    auth,
  );
  const made = await gql(
    ports[1]!,
    `mutation($r: ID!, $c: ID!) { createAchievement(key: "hundred_wins", name: "Hundred wins", description: "d", category: competition,
      triggerType: rules, ruleIds: [$r], rewards: [{ consumableId: $c, quantity: 2 }], points: 10) { id } }`,
    { r: rule.data.createAchievementRule.id, c: boost.data.createConsumable.id },
    auth,
  );
  return {
    org,
    player,
    apiKey: key.data.createApiKey.secret as string,
    achievementId: made.data.createAchievement.id as string,
    winsId: wins!.id,
  };
}

const RECORD = `mutation($u: ID!, $k: String) { recordEvent(userId: $u, type: "match_won", idempotencyKey: $k) { replayed awards { id } } }`;

describe("two API processes on one database", () => {
  it("500 concurrent threshold-crossing events, split between them: one award, one set of grants, one notification, exact counters", async () => {
    const game = await arena();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        gql(
          ports[i % 2]!,
          RECORD,
          { u: game.player.id, k: `win-${unique()}-${i}` },
          { "x-api-key": game.apiKey },
        ),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.data.recordEvent.awards)).toHaveLength(1);
    const awards = await db.db
      .select()
      .from(schema.userAchievements)
      .where(
        and(
          eq(schema.userAchievements.userId, game.player.id),
          isNotNull(schema.userAchievements.completedAt),
        ),
      );
    expect(awards).toHaveLength(1);
    const ledger = await db.db
      .select()
      .from(schema.rewardLedger)
      .where(eq(schema.rewardLedger.userId, game.player.id));
    expect(ledger.map((l) => l.quantity)).toEqual([2]);
    const notes = await db.db
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.userId, game.player.id));
    expect(notes).toHaveLength(1);
    const [wins] = await db.db
      .select()
      .from(schema.metricValues)
      .where(
        and(
          eq(schema.metricValues.userId, game.player.id),
          eq(schema.metricValues.metricId, game.winsId),
          eq(schema.metricValues.windowKey, "all"),
        ),
      );
    expect(wins!.value).toBe(500);
  });

  it("10,000 replays of one idempotency key, through both processes: counted once; another payload is refused", async () => {
    const game = await arena();
    const first = await gql(
      ports[0]!,
      RECORD,
      { u: game.player.id, k: "the-one-key" },
      { "x-api-key": game.apiKey },
    );
    expect(first.data.recordEvent.replayed).toBe(false);
    let replayed = 0;
    for (let batch = 0; batch < 100; batch++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          gql(ports[i % 2]!, RECORD, { u: game.player.id, k: "the-one-key" }, { "x-api-key": game.apiKey }),
        ),
      );
      replayed += results.filter((r) => r.data?.recordEvent?.replayed === true).length;
    }
    expect(replayed).toBe(10_000);
    const events = await db.db
      .select()
      .from(schema.events)
      .where(
        and(eq(schema.events.organizationId, game.org.id), eq(schema.events.idempotencyKey, "the-one-key")),
      );
    expect(events).toHaveLength(1);
    const [wins] = await db.db
      .select()
      .from(schema.metricValues)
      .where(
        and(
          eq(schema.metricValues.userId, game.player.id),
          eq(schema.metricValues.metricId, game.winsId),
          eq(schema.metricValues.windowKey, "all"),
        ),
      );
    expect(wins!.value).toBe(1);
    const other = await gql(
      ports[1]!,
      `mutation($u: ID!) { recordEvent(userId: $u, type: "match_won", value: 3, idempotencyKey: "the-one-key") { replayed } }`,
      { u: game.player.id },
      { "x-api-key": game.apiKey },
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", rule: "idempotency_key_reused" });
  });
});
