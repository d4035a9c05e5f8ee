import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../src/env.js";
import { createLogger } from "../src/logger.js";
import { bootstrap } from "../src/seed/bootstrap.js";
import { unique } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

describe("first start", () => {
  it("creates the first Global Administrator from configuration, once", async () => {
    const email = `${unique("root-")}@example.test`;
    const env = loadEnv({
      LAUREL_TOKEN_SECRET: "t".repeat(32),
      LAUREL_ADMIN_EMAIL: email,
      LAUREL_ADMIN_PASSWORD: "a long first password",
    });
    const logger = createLogger("silent", false);
    await bootstrap(api.database.db, env, logger);
    await bootstrap(api.database.db, env, logger); // a restart changes nothing

    const rows = await api.database.db.select().from(schema.users).where(eq(schema.users.email, email));
    expect(rows).toHaveLength(1);
    const token = (
      await api.ok(`mutation { login(email: "${email}", password: "a long first password") { token } }`)
    ).login.token;
    const me = await api.ok(`{ me { organizationId role { key permissions } } }`, {}, token);
    expect(me.me.organizationId).toBeNull();
    expect(me.me.role.key).toBe("global_admin");
    expect(me.me.role.permissions).toContain("manage:platform");
  });

  it("ships the built-in roles and seed 001's thirteen metrics", async () => {
    const roles = await api.database.db
      .select({ key: schema.roles.key })
      .from(schema.roles)
      .where(eq(schema.roles.isBuiltIn, true));
    expect(roles.map((r) => r.key).sort()).toEqual([
      "coordinator",
      "global_admin",
      "org_admin",
      "peer_mentor",
      "player",
    ]);
    const metrics = await api.database.db
      .select({ key: schema.metricDefinitions.key })
      .from(schema.metricDefinitions);
    expect(metrics.map((m) => m.key)).toEqual(
      expect.arrayContaining([
        "matches",
        "wins",
        "losses",
        "positions",
        "wins_in_row",
        "total_volume",
        "total_profit",
        "invite",
        "level",
        "deposits",
        "withdrawals",
        "profile_completed",
        "trades_closed",
      ]),
    );
  });
});
