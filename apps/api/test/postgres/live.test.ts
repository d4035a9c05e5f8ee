import { performance } from "node:perf_hooks";
import type { DatabaseHandle } from "@laurel/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectLive, type Live } from "../support/live.js";
import { makeOrganization, makeUser, PASSWORD } from "../support/factories.js";
import { startApiProcesses } from "../support/processes.js";
import { openTestDatabase } from "../support/server.js";

/**
 * Live events across API processes: an event sent to one process, awarded and relayed there, reaches a
 * subscriber of another through PostgreSQL's NOTIFY (each process's hub LISTENs).
 */
const [A, B] = [4751, 4752] as const;
const open: Live[] = [];
let db: DatabaseHandle;
let processes: Awaited<ReturnType<typeof startApiProcesses>> | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
  processes = await startApiProcesses([A, B], {
    LAUREL_TOKEN_SECRET: "live-test-secret-that-is-long-enough-for-it",
    LAUREL_DEV_LOGIN_CODE: "12345",
  });
});

afterAll(async () => {
  await Promise.all(open.map((live) => live.dispose()));
  processes?.stop();
  await db.close();
});

async function gql(
  port: number,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

describe("two API processes", () => {
  it("a subscriber on A receives, within a second, an award caused by an event sent to B", async () => {
    const org = await makeOrganization(db.db);
    const admin = await makeUser(db.db, { organizationId: org.id, role: "org_admin" });
    const player = await makeUser(db.db, { organizationId: org.id, role: "player", password: false });
    const login = await gql(
      A,
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
      {
        e: admin.email,
        p: PASSWORD,
      },
    );
    const auth = { authorization: `Bearer ${login.login.token}` };
    const key = (await gql(B, `mutation { createApiKey(name: "game") { secret } }`, {}, auth)).createApiKey
      .secret;
    const { allMetrics } = await gql(A, `{ allMetrics(perPage: 500) { id key } }`, {}, auth);
    const wins = allMetrics.find((m: { key: string }) => m.key === "wins").id;
    for (const [name, target] of [
      ["warm_up", 1],
      ["second_win", 2],
    ] as const) {
      const rule = await gql(
        A,
        `mutation($m: ID!, $n: String!, $t: Float!) { createAchievementRule(name: $n, metricId: $m, comparator: gte, target: $t, weight: 100) { id } }`,
        { m: wins, n: name, t: target },
        auth,
      );
      await gql(
        B,
        `mutation($k: String!, $r: ID!) { createAchievement(key: $k, name: $k, description: "d", category: competition,
          triggerType: rules, ruleIds: [$r]) { id } }`,
        { k: name, r: rule.createAchievementRule.id },
        auth,
      );
    }
    const code = await gql(A, `mutation($e: String!) { loginWithCode(email: $e, code: "12345") { token } }`, {
      e: player.email,
    });

    const live = connectLive(`http://127.0.0.1:${A}`, code.loginWithCode.token);
    open.push(live);
    await live.connected;
    const feed = live.subscribe(
      `subscription { myEvents(types: ["achievement.earned"]) { id userId earned { achievement { key } } } }`,
    );
    const record = (idempotencyKey: string) =>
      gql(
        B,
        `mutation($u: ID!, $k: String) { recordEvent(userId: $u, type: "match_won", idempotencyKey: $k) { awards { id } } }`,
        { u: player.id, k: idempotencyKey },
        { "x-api-key": key },
      );

    // A first award proves the subscription is in place on A (it has no other outward sign).
    await record("first");
    expect((await feed.next(10_000)).myEvents.earned.achievement.key).toBe("warm_up");

    const sent = performance.now();
    const recorded = await record("second");
    expect(recorded.recordEvent.awards).toHaveLength(1);
    const { myEvents } = await feed.next(5_000);
    const elapsed = performance.now() - sent;
    expect(myEvents).toMatchObject({ userId: player.id, earned: { achievement: { key: "second_win" } } });
    expect(elapsed).toBeLessThan(1_000);
  });
});
