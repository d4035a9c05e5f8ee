import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../src/env.js";
import { gameTenant } from "./support/engine.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
// Five requests per key at once, then one every ten seconds: a window of fifty seconds, far longer than
// the burst below takes to arrive, even on a busy machine.
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_API_KEY_RATE: "0.1", LAUREL_API_KEY_BURST: "5" } });
});
afterAll(() => api.close());

const RECORD = `mutation($u: ID!, $k: String) { recordEvent(userId: $u, type: "match_won", idempotencyKey: $k) { replayed } }`;

async function record(apiKey: string, userId: string, key: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify({ query: RECORD, variables: { u: userId, k: key } }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] },
  };
}

describe("each API key's request rate", () => {
  it("answers a burst over the limit with 429 and Retry-After, while another tenant's key goes on", async () => {
    const [noisy, quiet] = [await gameTenant(api), await gameTenant(api)];
    const flood = Promise.all(
      Array.from({ length: 12 }, (_, i) => record(noisy.backend.apiKey, noisy.player.id, `flood-${i}`)),
    );
    const others = Promise.all(
      Array.from({ length: 4 }, (_, i) => record(quiet.backend.apiKey, quiet.player.id, `quiet-${i}`)),
    );
    const [flooded, served] = await Promise.all([flood, others]);

    const accepted = flooded.filter((r) => r.status === 200);
    const refused = flooded.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(5);
    expect(accepted.every((r) => r.body.data && !r.body.errors)).toBe(true);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(50);
      expect(r.body.errors?.[0]?.extensions).toEqual({
        code: "RATE_LIMITED",
        retryAfterSeconds: Number(r.retryAfter),
      });
    }
    // The refused events were never recorded: only the five accepted count.
    const recorded = await api.database.db
      .select({ id: schema.events.id })
      .from(schema.events)
      .where(eq(schema.events.userId, noisy.player.id));
    expect(recorded).toHaveLength(5);

    expect(served.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(served.every((r) => r.body.data && !r.body.errors)).toBe(true);
  });

  it("counts nothing for people signed in with a token", async () => {
    const tenant = await gameTenant(api);
    for (let i = 0; i < 8; i++) await api.ok(`{ me { id } }`, {}, tenant.admin.token);
  });

  it("defaults to a generous limit and can be turned off", () => {
    expect(loadEnv({ NODE_ENV: "test", LAUREL_TOKEN_SECRET: "x".repeat(32) }).apiKeyRate).toEqual({
      perSecond: 100,
      burst: 1000,
    });
    expect(
      loadEnv({ NODE_ENV: "test", LAUREL_TOKEN_SECRET: "x".repeat(32), LAUREL_API_KEY_RATE: "0" }).apiKeyRate
        .perSecond,
    ).toBe(0);
  });
});
