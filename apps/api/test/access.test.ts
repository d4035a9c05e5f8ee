import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actor, makeTenant, unique } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

const USER = `query($id: ID!) { User(id: $id) { id email } }`;
const ALL_USERS = `query($filter: UserFilter) { allUsers(perPage: 500, filter: $filter) { id organizationId } _allUsersMeta(filter: $filter) { count } }`;
const UPDATE_USER = `mutation($id: ID!, $name: String) { updateUser(id: $id, displayName: $name) { id displayName } }`;
const CREATE_USER = `mutation($email: String!, $roleId: ID!, $org: ID) {
  createUser(email: $email, displayName: "New person", roleId: $roleId, organizationId: $org) { id organizationId }
}`;

async function roleId(token: string, key: string) {
  const data = await api.ok(`{ allRoles(perPage: 100) { id key } }`, {}, token);
  return data.allRoles.find((r: { key: string }) => r.key === key)!.id as string;
}

describe("permissions", () => {
  it("refuses an operation without its permission, naming it", async () => {
    const tenant = await makeTenant(api);
    const coordinator = await tenant.as("coordinator");
    const mentorRole = await roleId(tenant.admin.token, "peer_mentor");
    const result = await api.gql(
      CREATE_USER,
      { email: `${unique()}@example.test`, roleId: mentorRole },
      coordinator.token,
    );
    expect(result.data).toBeNull();
    expect(result.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", permission: "manage:users" });
    expect(result.errors![0]!.message).toContain("manage:users");
  });

  it("lets a custom role do exactly what its permissions say", async () => {
    const tenant = await makeTenant(api);
    const created = await api.ok(
      `mutation { createRole(key: "${unique("r_")}", name: "User manager", permissions: ["manage:users"]) { id organizationId } }`,
      {},
      tenant.admin.token,
    );
    expect(created.createRole.organizationId).toBe(tenant.organization.id);
    const manager = await tenant.as({ id: created.createRole.id });
    const list = await api.ok(ALL_USERS, {}, manager.token);
    expect(list._allUsersMeta.count).toBeGreaterThanOrEqual(2);
    const org = await api.gql(
      `mutation($id: ID!) { updateOrganization(id: $id, name: "Renamed") { id } }`,
      { id: tenant.organization.id },
      manager.token,
    );
    expect(org.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });

  it("refuses to grant permissions the granter does not hold", async () => {
    const tenant = await makeTenant(api);
    const result = await api.gql(
      `mutation { createRole(key: "${unique("r_")}", name: "Sneaky", permissions: ["manage:platform"]) { id } }`,
      {},
      tenant.admin.token,
    );
    expect(result.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "permissions", rule: "permission_escalation" }],
    });
    const globalRole = await roleId(tenant.admin.token, "global_admin");
    const promote = await api.gql(
      CREATE_USER,
      { email: `${unique()}@example.test`, roleId: globalRole },
      tenant.admin.token,
    );
    expect(promote.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "roleId",
      rule: "permission_escalation",
    });
  });

  it("keeps built-in roles unchangeable", async () => {
    const tenant = await makeTenant(api);
    const mentorRole = await roleId(tenant.admin.token, "peer_mentor");
    const result = await api.gql(
      `mutation($id: ID!) { updateRole(id: $id, permissions: []) { id } }`,
      { id: mentorRole },
      tenant.admin.token,
    );
    expect(result.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});

describe("tenancy", () => {
  it("denies an organization admin another organization's users, for reading and writing", async () => {
    const ours = await makeTenant(api);
    const theirs = await makeTenant(api);
    const victim = await theirs.as("peer_mentor");

    const read = await api.gql(USER, { id: victim.user.id }, ours.admin.token);
    expect(read.errors![0]!.extensions!.code).toBe("NOT_FOUND");

    const list = await api.ok(
      ALL_USERS,
      { filter: { organizationId: theirs.organization.id } },
      ours.admin.token,
    );
    expect(list.allUsers).toEqual([]);
    expect(list._allUsersMeta.count).toBe(0);
    const byIds = await api.ok(ALL_USERS, { filter: { ids: [victim.user.id] } }, ours.admin.token);
    expect(byIds.allUsers).toEqual([]);

    const update = await api.gql(UPDATE_USER, { id: victim.user.id, name: "Hijacked" }, ours.admin.token);
    expect(update.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    const remove = await api.gql(
      `mutation($id: ID!) { deleteUser(id: $id) { id } }`,
      { id: victim.user.id },
      ours.admin.token,
    );
    expect(remove.errors![0]!.extensions!.code).toBe("NOT_FOUND");

    const mentorRole = await roleId(ours.admin.token, "peer_mentor");
    const plant = await api.gql(
      CREATE_USER,
      { email: `${unique()}@example.test`, roleId: mentorRole, org: theirs.organization.id },
      ours.admin.token,
    );
    expect(plant.errors![0]!.extensions!.code).toBe("FORBIDDEN");

    // Nothing changed on their side.
    const still = await api.ok(USER, { id: victim.user.id }, theirs.admin.token);
    expect(still.User.email).toBe(victim.user.email);
  });

  it("denies roles and activity types of another organization", async () => {
    const ours = await makeTenant(api);
    const theirs = await makeTenant(api);
    const role = await api.ok(
      `mutation { createRole(key: "${unique("r_")}", name: "Theirs", permissions: []) { id } }`,
      {},
      theirs.admin.token,
    );
    const type = await api.ok(
      `mutation { createActivityType(slug: "visit", name: "Visit") { id } }`,
      {},
      theirs.admin.token,
    );
    expect(
      (
        await api.gql(
          `query($id: ID!) { Role(id: $id) { id } }`,
          { id: role.createRole.id },
          ours.admin.token,
        )
      ).errors![0]!.extensions!.code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await api.gql(
          `query($id: ID!) { ActivityType(id: $id) { id } }`,
          { id: type.createActivityType.id },
          ours.admin.token,
        )
      ).errors![0]!.extensions!.code,
    ).toBe("NOT_FOUND");
    const roles = await api.ok(`{ allRoles(perPage: 500) { id organizationId } }`, {}, ours.admin.token);
    expect(
      roles.allRoles.every(
        (r: { organizationId: string | null }) =>
          r.organizationId === null || r.organizationId === ours.organization.id,
      ),
    ).toBe(true);
    const assign = await api.gql(
      CREATE_USER,
      { email: `${unique()}@example.test`, roleId: role.createRole.id },
      ours.admin.token,
    );
    expect(assign.errors![0]!.extensions!.issues[0]).toMatchObject({ field: "roleId" });
  });

  it("shows an organization admin only their own organization; a Global Administrator sees all", async () => {
    const ours = await makeTenant(api);
    const theirs = await makeTenant(api);
    const global = await actor(api, null, "global_admin");
    const mine = await api.ok(`{ allOrganizations(perPage: 500) { id } }`, {}, ours.admin.token);
    expect(mine.allOrganizations).toEqual([{ id: ours.organization.id }]);
    const all = await api.ok(`{ allOrganizations(perPage: 500) { id } }`, {}, global.token);
    const ids = all.allOrganizations.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([ours.organization.id, theirs.organization.id]));
    const theirUsers = await api.ok(
      ALL_USERS,
      { filter: { organizationId: theirs.organization.id } },
      global.token,
    );
    expect(theirUsers._allUsersMeta.count).toBe(1);
  });

  it("lets only a Global Administrator create organizations", async () => {
    const tenant = await makeTenant(api);
    const slug = unique("new-");
    const denied = await api.gql(
      `mutation { createOrganization(name: "X", slug: "${slug}") { id } }`,
      {},
      tenant.admin.token,
    );
    expect(denied.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const global = await actor(api, null, "global_admin");
    const made = await api.ok(
      `mutation { createOrganization(name: "Y", slug: "${slug}", timeZone: "Europe/Oslo") { id slug timeZone currency } }`,
      {},
      global.token,
    );
    expect(made.createOrganization).toMatchObject({ slug, timeZone: "Europe/Oslo", currency: "NOK" });
  });
});

describe("API keys", () => {
  it("authenticate a tenant's backend with only the key's permissions, and stop working when revoked", async () => {
    const tenant = await makeTenant(api);
    const created = await api.ok(
      `mutation { createApiKey(name: "Game server") { id secret prefix permissions } }`,
      {},
      tenant.admin.token,
    );
    const { secret, id } = created.createApiKey;
    expect(secret).toMatch(/^lrl_/);
    expect(created.createApiKey.permissions).toEqual(["ingest:events"]);
    const listed = await api.ok(`{ allApiKeys { id secret } }`, {}, tenant.admin.token);
    expect(listed.allApiKeys).toEqual([{ id, secret: null }]);

    const asKey = await api.gql(`{ allUsers { id } }`, {}, { apiKey: secret });
    expect(asKey.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const me = await api.gql(`{ me { id } }`, {}, { apiKey: secret });
    expect(me.errors![0]!.extensions!.code).toBe("FORBIDDEN");

    await api.ok(`mutation($id: ID!) { deleteApiKey(id: $id) { revokedAt } }`, { id }, tenant.admin.token);
    const revoked = await api.gql(`{ health { status } }`, {}, { apiKey: secret });
    expect(revoked.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    const wrong = await api.gql(`{ health { status } }`, {}, { apiKey: "lrl_not-a-key" });
    expect(wrong.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("may hold only event and progress permissions", async () => {
    const tenant = await makeTenant(api);
    const result = await api.gql(
      `mutation { createApiKey(name: "Too much", permissions: ["manage:users"]) { id } }`,
      {},
      tenant.admin.token,
    );
    expect(result.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "permissions.0",
      rule: "api_key_permission",
    });
  });
});
