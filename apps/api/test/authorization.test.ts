import { schema } from "@laurel/db";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "../src/env.js";
import { actor, makeTenant, unique } from "./support/factories.js";
import { gameTenant } from "./support/engine.js";
import { startTestServer, TEST_SECRET, type TestApi } from "./support/server.js";

/** Issue 15, items 5, 6, 8 and 9: nobody acts beyond what they hold, and modules are the platform's. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    env: { LAUREL_MODULES: "achievements-gamification, certification-training" },
    now: "2026-06-15T12:00:00Z",
  });
});
afterAll(() => api.close());

const { apiKeys, roles, organizations, achievements, userAchievements, rewardLedger, notifications } = schema;

const CREATE_KEY = `mutation($name: String!, $permissions: [String!], $expiresAt: DateTimeISO) {
  createApiKey(name: $name, permissions: $permissions, expiresAt: $expiresAt) { id permissions expiresAt } }`;
const CREATE_ROLE = `mutation($key: String!, $permissions: [String!]!) {
  createRole(key: $key, name: "A role", permissions: $permissions) { id } }`;
const UPDATE_ORG = `mutation($id: ID!, $name: String, $modules: [String!], $notify: Boolean) {
  updateOrganization(id: $id, name: $name, modules: $modules, notifyOnBackfill: $notify) { id name modules } }`;

const issueOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => {
  const extensions = result.errors?.[0]?.extensions ?? {};
  return { code: extensions.code, issue: extensions.issues?.[0] };
};

async function keysOf(organizationId: string) {
  return api.database.db.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId));
}

/** A signed-in member of the tenant whose custom role holds exactly `permissions`. */
async function holding(tenant: Awaited<ReturnType<typeof makeTenant>>, permissions: string[]) {
  const role = await api.ok(CREATE_ROLE, { key: unique("r_"), permissions }, tenant.admin.token);
  return tenant.as({ id: role.createRole.id as string });
}

describe("API keys (item 5)", () => {
  it("need manage:apiKeys to be made or revoked; manage:organization is not enough", async () => {
    const tenant = await makeTenant(api);
    const settingsAdmin = await holding(tenant, ["manage:organization"]);
    const made = await api.gql(
      CREATE_KEY,
      { name: "escalation", permissions: ["ingest:events", "read:progress"] },
      settingsAdmin.token,
    );
    expect(made.data).toBeNull();
    expect(made.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", permission: "manage:apiKeys" });
    expect(await keysOf(tenant.organization.id)).toHaveLength(0);

    // The organization admin holds manage:apiKeys (the built-in role is re-seeded with it).
    const key = await api.ok(CREATE_KEY, { name: "backend" }, tenant.admin.token);
    expect(await keysOf(tenant.organization.id)).toHaveLength(1);
    const revoke = await api.gql(
      `mutation($id: ID!) { deleteApiKey(id: $id) { revokedAt } }`,
      { id: key.createApiKey.id },
      settingsAdmin.token,
    );
    expect(revoke.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", permission: "manage:apiKeys" });
    const [row] = await keysOf(tenant.organization.id);
    expect(row!.revokedAt).toBeNull();
  });

  it("carry only permissions their creator holds", async () => {
    const tenant = await makeTenant(api);
    const keyManager = await holding(tenant, ["manage:apiKeys", "ingest:events"]);
    const beyond = await api.gql(
      CREATE_KEY,
      { name: "reader", permissions: ["ingest:events", "read:progress"] },
      keyManager.token,
    );
    expect(beyond.data).toBeNull();
    expect(issueOf(beyond)).toMatchObject({
      code: "BAD_USER_INPUT",
      issue: { field: "permissions", rule: "permission_escalation", severity: "error" },
    });
    expect(issueOf(beyond).issue.message).toContain("read:progress");
    expect(await keysOf(tenant.organization.id)).toHaveLength(0);

    const within = await api.ok(
      CREATE_KEY,
      { name: "ingest", permissions: ["ingest:events"] },
      keyManager.token,
    );
    expect(within.createApiKey.permissions).toEqual(["ingest:events"]);
    expect(await keysOf(tenant.organization.id)).toHaveLength(1);
  });

  it("cannot be made already expired (by the request's clock)", async () => {
    const tenant = await makeTenant(api);
    const now = api.clock.now().getTime();
    for (const expiresAt of [new Date(now - 1000), new Date(now)]) {
      const result = await api.gql(
        CREATE_KEY,
        { name: "expired", expiresAt: expiresAt.toISOString() },
        tenant.admin.token,
      );
      expect(result.data).toBeNull();
      expect(issueOf(result)).toMatchObject({
        code: "BAD_USER_INPUT",
        issue: { field: "expiresAt", rule: "expires_in_future" },
      });
    }
    expect(await keysOf(tenant.organization.id)).toHaveLength(0);
    const later = new Date(now + 60_000).toISOString();
    const made = await api.ok(CREATE_KEY, { name: "later", expiresAt: later }, tenant.admin.token);
    expect(made.createApiKey.expiresAt).toBe(later);
    expect(await keysOf(tenant.organization.id)).toHaveLength(1);
  });
});

describe("roles (item 6)", () => {
  const UPDATE_ROLE = `mutation($id: ID!, $name: String, $permissions: [String!]) {
    updateRole(id: $id, name: $name, permissions: $permissions) { id name permissions } }`;
  const DELETE_ROLE = `mutation($id: ID!) { deleteRole(id: $id) { id } }`;

  async function roleRow(id: string) {
    const [row] = await api.database.db.select().from(roles).where(eq(roles.id, id));
    return row;
  }

  it("cannot be rewritten or deleted by someone holding less than the role", async () => {
    const tenant = await makeTenant(api);
    const manager = await holding(tenant, ["manage:roles", "read:progress"]);
    const above = await api.ok(
      CREATE_ROLE,
      { key: unique("above_"), permissions: ["read:progress", "manage:users"] },
      tenant.admin.token,
    );
    const id = above.createRole.id as string;
    const before = await roleRow(id);

    for (const variables of [
      { id, name: "Renamed" },
      { id, permissions: ["read:progress"] },
    ]) {
      const result = await api.gql(UPDATE_ROLE, variables, manager.token);
      expect(result.data).toBeNull();
      expect(issueOf(result)).toMatchObject({
        code: "BAD_USER_INPUT",
        issue: { field: "id", rule: "permission_escalation" },
      });
      expect(issueOf(result).issue.message).toContain("manage:users");
    }
    const deleted = await api.gql(DELETE_ROLE, { id }, manager.token);
    expect(deleted.data).toBeNull();
    expect(issueOf(deleted)).toMatchObject({
      code: "BAD_USER_INPUT",
      issue: { field: "id", rule: "permission_escalation" },
    });
    expect(await roleRow(id)).toEqual(before);
  });

  it("can be changed within the editor's permissions, and given none beyond them", async () => {
    const tenant = await makeTenant(api);
    const manager = await holding(tenant, ["manage:roles", "read:progress"]);
    const below = await api.ok(
      CREATE_ROLE,
      { key: unique("below_"), permissions: ["read:progress"] },
      tenant.admin.token,
    );
    const id = below.createRole.id as string;
    const raised = await api.gql(
      UPDATE_ROLE,
      { id, permissions: ["read:progress", "manage:users"] },
      manager.token,
    );
    expect(issueOf(raised)).toMatchObject({
      code: "BAD_USER_INPUT",
      issue: { field: "permissions", rule: "permission_escalation" },
    });
    expect((await roleRow(id))!.permissions).toEqual(["read:progress"]);

    const renamed = await api.ok(UPDATE_ROLE, { id, name: "Readers" }, manager.token);
    expect(renamed.updateRole).toMatchObject({ name: "Readers", permissions: ["read:progress"] });
    await api.ok(DELETE_ROLE, { id }, manager.token);
    expect(await roleRow(id)).toBeUndefined();
  });
});

describe("modules (item 8)", () => {
  it("come from LAUREL_MODULES, checked at start", () => {
    expect(api.env.modules).toEqual(["achievements-gamification", "certification-training"]);
    expect(loadEnv({ LAUREL_TOKEN_SECRET: TEST_SECRET }).modules).toEqual([
      "achievements-gamification",
      "certification-training",
    ]);
    expect(() => loadEnv({ LAUREL_TOKEN_SECRET: TEST_SECRET, LAUREL_MODULES: "gold,Premium Plus" })).toThrow(
      EnvError,
    );
  });

  it("are listed by platformModules for admins", async () => {
    const tenant = await makeTenant(api);
    const listed = await api.ok(`{ platformModules }`, {}, tenant.admin.token);
    expect(listed.platformModules).toEqual(["achievements-gamification", "certification-training"]);
    const mentor = await tenant.as("peer_mentor");
    const refused = await api.gql(`{ platformModules }`, {}, mentor.token);
    expect(refused.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });

  it("are changed only by a Global Administrator; an organization admin still edits the rest", async () => {
    const tenant = await makeTenant(api);
    const id = tenant.organization.id;
    const refused = await api.gql(
      UPDATE_ORG,
      { id, name: "Premium", modules: ["achievements-gamification", "certification-training"] },
      tenant.admin.token,
    );
    expect(refused.data).toBeNull();
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: "FORBIDDEN",
      permission: "manage:platform",
    });
    expect(refused.errors![0]!.message).toContain("modules");
    const removed = await api.gql(UPDATE_ORG, { id, modules: [] }, tenant.admin.token);
    expect(removed.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const [unchanged] = await api.database.db.select().from(organizations).where(eq(organizations.id, id));
    expect(unchanged).toMatchObject({
      name: tenant.organization.name,
      modules: ["achievements-gamification"],
    });

    // The edit form sends the modules back as they are: no change, so allowed.
    const renamed = await api.ok(
      UPDATE_ORG,
      { id, name: "Renamed", modules: ["achievements-gamification"] },
      tenant.admin.token,
    );
    expect(renamed.updateOrganization).toMatchObject({
      name: "Renamed",
      modules: ["achievements-gamification"],
    });

    const global = await actor(api, null, "global_admin");
    const enabled = await api.ok(
      UPDATE_ORG,
      { id, modules: ["achievements-gamification", "certification-training"] },
      global.token,
    );
    expect(enabled.updateOrganization.modules).toEqual([
      "achievements-gamification",
      "certification-training",
    ]);
  });

  it("must be ones the installation offers, for organizations and for achievements", async () => {
    const tenant = await makeTenant(api);
    const global = await actor(api, null, "global_admin");
    const id = tenant.organization.id;
    const unknown = await api.gql(
      UPDATE_ORG,
      { id, modules: ["achievements-gamification", "anything-premium"] },
      global.token,
    );
    expect(issueOf(unknown)).toMatchObject({
      code: "BAD_USER_INPUT",
      issue: { field: "modules", rule: "module_unknown" },
    });
    expect(issueOf(unknown).issue.message).toContain("anything-premium");
    const [org] = await api.database.db.select().from(organizations).where(eq(organizations.id, id));
    expect(org!.modules).toEqual(["achievements-gamification"]);

    const slug = unique("premium-");
    const created = await api.gql(
      `mutation($slug: String!) { createOrganization(name: "Premium", slug: $slug, modules: ["anything-premium"]) { id } }`,
      { slug },
      global.token,
    );
    expect(issueOf(created).issue).toMatchObject({ field: "modules", rule: "module_unknown" });
    expect(await api.database.db.select().from(organizations).where(eq(organizations.slug, slug))).toEqual(
      [],
    );

    const key = unique("a_");
    const gated = await api.gql(
      `mutation($key: String!) { createAchievement(key: $key, name: "Premium", description: "d", category: special,
        triggerType: manual, requiresModule: "anything-premium") { id } }`,
      { key },
      tenant.admin.token,
    );
    expect(issueOf(gated)).toMatchObject({
      code: "BAD_USER_INPUT",
      issue: { field: "requiresModule", rule: "module_unknown" },
    });
    expect(
      await api.database.db
        .select()
        .from(achievements)
        .where(and(eq(achievements.organizationId, id), eq(achievements.key, key))),
    ).toEqual([]);
  });

  it("when enabled, award their achievements to members who already qualify (with the notify choice)", async () => {
    const game = await gameTenant(api);
    const made = await game.achievement({
      name: "Certified",
      requiresModule: "certification-training",
      ruleIds: [await game.rule("W", "wins", "gte", 1, 100)],
    });
    expect(made.errors).toBeUndefined();
    const achievementId = made.data.createAchievement.id as string;
    expect((await game.event("match_won")).data.recordEvent.awards).toEqual([]);
    await api.settle(game.organization.id);
    const awards = () =>
      api.database.db
        .select()
        .from(userAchievements)
        .where(
          and(
            eq(userAchievements.userId, game.player.id),
            eq(userAchievements.achievementId, achievementId),
            isNotNull(userAchievements.completedAt),
          ),
        );
    expect(await awards()).toHaveLength(0);

    const global = await actor(api, null, "global_admin");
    await api.ok(
      UPDATE_ORG,
      {
        id: game.organization.id,
        modules: ["achievements-gamification", "certification-training"],
        notify: true,
      },
      global.token,
    );
    await api.settle(game.organization.id);
    const awarded = await awards();
    expect(awarded).toHaveLength(1);
    const told = await api.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userAchievementId, awarded[0]!.id));
    expect(told).toHaveLength(1);
  });
});

describe("grants (item 9)", () => {
  it("are refused to a deactivated user, as events are, and write nothing", async () => {
    const game = await gameTenant(api);
    const manual = await game.achievement({ name: "Helper", triggerType: "manual" });
    expect(manual.errors).toBeUndefined();
    await api.ok(
      `mutation($id: ID!) { updateUser(id: $id, isActive: false) { id isActive } }`,
      { id: game.player.id },
      game.admin.token,
    );
    const event = await game.event("match_won");
    const granted = await api.gql(
      `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
      { u: game.player.id, a: manual.data.createAchievement.id },
      game.admin.token,
    );
    expect(granted.data).toBeNull();
    expect(granted.errors![0]!.extensions!.code).toBe(event.errors![0]!.extensions!.code);
    expect(granted.errors![0]!.message).toBe(event.errors![0]!.message);
    expect(granted.errors![0]!.message).toMatch(/deactivated/);
    for (const table of [userAchievements, rewardLedger, notifications]) {
      const rows = await api.database.db.select().from(table).where(eq(table.userId, game.player.id));
      expect(rows).toEqual([]);
    }
  });
});
