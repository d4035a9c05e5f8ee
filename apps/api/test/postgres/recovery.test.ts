import { randomBytes } from "node:crypto";
import { type DatabaseHandle, openDatabase } from "@laurel/db";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gameTenant } from "../support/engine.js";
import { PASSWORD } from "../support/factories.js";
import { type GraphQLResponse, startTestServer, type TestApi } from "../support/server.js";

/**
 * The database goes away under a running API (a restart, a failover, an administrator ending sessions):
 * every connection the API holds is dead, and it does not know yet. The next requests must not fail for
 * it. The API's connections are ended from outside, as a restart ends them, by their application name:
 * no other test's connections are touched.
 */
const applicationName = `laurel-recovery-${randomBytes(4).toString("hex")}`;
let database: DatabaseHandle;
let api: TestApi;
let admin: postgres.Sql;
let game: Awaited<ReturnType<typeof gameTenant>>;

beforeAll(async () => {
  const url = inject("databaseUrl");
  if (!url) throw new Error("The postgres suite needs DATABASE_URL");
  database = await openDatabase({ url, poolSize: 10, applicationName });
  api = await startTestServer({ database, env: { LAUREL_SCHEDULER: "false" } });
  admin = postgres(url, { max: 1, onnotice: () => {} });
  game = await gameTenant(api);
});

afterAll(async () => {
  await api?.close();
  await database?.close();
  await admin?.end();
});

/** What users do at once: read as a signed-in admin, record events with the API key, sign in. */
function traffic(round: number, count: number): Promise<[string, GraphQLResponse][]> {
  const kinds = [
    async (): Promise<[string, GraphQLResponse]> => [
      "read",
      await api.gql(`{ me { id } allAchievements(perPage: 5) { id } }`, {}, game.admin.token),
    ],
    async (i: number): Promise<[string, GraphQLResponse]> => [
      "recordEvent",
      await game.event("match_won", { key: `recovery-${round}-${i}` }),
    ],
    // Each sign-in from a client address of its own: the throttle lets 5 attempts of one account from one
    // address run at once, and this test is about the database, not the throttle.
    async (i: number): Promise<[string, GraphQLResponse]> => [
      "login",
      await api.gql(
        `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
        { e: game.admin.user.email, p: PASSWORD },
        undefined,
        { "x-forwarded-for": `10.77.${round}.${i}` },
      ),
    ],
  ];
  return Promise.all(Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i)));
}

/** Ends every backend of the API's two pools, as a restart does; returns how many there were. */
async function terminateApiConnections(): Promise<number> {
  const ended = await admin<{ ok: boolean }[]>`
    select pg_terminate_backend(pid) as ok from pg_stat_activity
    where datname = current_database() and application_name = ${applicationName}`;
  return ended.filter((row) => row.ok).length;
}

describe("after the database ends the API's connections", () => {
  it("answers every request sent afterwards, reads, events and sign-ins alike", async () => {
    for (let round = 0; round < 3; round++) {
      // Both pools (Drizzle's and the intake's prepared one) hold several open connections.
      const warm = await traffic(round * 2, 24);
      expect(warm.filter(([, r]) => r.errors)).toEqual([]);
      expect(await terminateApiConnections()).toBeGreaterThanOrEqual(4);

      // Sent at once, while the API has not yet seen its connections close.
      const after = await traffic(round * 2 + 1, 24);
      const failed = after.filter(([, r]) => r.errors).map(([kind, r]) => [kind, r.errors![0]!.message]);
      expect(failed, `round ${round}`).toEqual([]);
      expect(after.filter(([kind, r]) => kind === "recordEvent" && r.data?.recordEvent)).toHaveLength(8);
    }
  });
});
