import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

/** The operations react-admin's adapter (ra-data-graphql-simple) sends, for one resource. */
describe("the adapter shape", () => {
  it("lists activity types with paging, sorting, filters and a count", async () => {
    const tenant = await makeTenant(api);
    for (const [slug, name, sortOrder] of [
      ["home_visit", "Home visit", 3],
      ["phone_call", "Phone call", 1],
      ["walk", "Walk and talk", 2],
    ] as const) {
      await api.ok(
        `mutation($slug: String!, $name: String!, $sortOrder: Int) { createActivityType(slug: $slug, name: $name, sortOrder: $sortOrder) { id } }`,
        { slug, name, sortOrder },
        tenant.admin.token,
      );
    }
    const LIST = `query($page: Int, $perPage: Int, $sortField: String, $sortOrder: String, $filter: ActivityTypeFilter) {
      items: allActivityTypes(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { id slug }
      total: _allActivityTypesMeta(page: $page, perPage: $perPage, filter: $filter) { count }
    }`;
    const first = await api.ok(
      LIST,
      { page: 0, perPage: 2, sortField: "sortOrder", sortOrder: "ASC" },
      tenant.admin.token,
    );
    expect(first.items.map((t: { slug: string }) => t.slug)).toEqual(["phone_call", "walk"]);
    expect(first.total.count).toBe(3);
    const second = await api.ok(
      LIST,
      { page: 1, perPage: 2, sortField: "sortOrder", sortOrder: "ASC" },
      tenant.admin.token,
    );
    expect(second.items.map((t: { slug: string }) => t.slug)).toEqual(["home_visit"]);
    const byName = await api.ok(
      LIST,
      { sortField: "name", sortOrder: "DESC", filter: { q: "a" } },
      tenant.admin.token,
    );
    expect(byName.items.map((t: { slug: string }) => t.slug)).toEqual(["walk", "phone_call"]);
    const ids = [first.items[0].id, second.items[0].id];
    const many = await api.ok(LIST, { filter: { ids } }, tenant.admin.token);
    expect(many.items.map((t: { id: string }) => t.id).sort()).toEqual([...ids].sort());
  });

  it("creates, reads, updates and deletes, returning the record each time", async () => {
    const tenant = await makeTenant(api);
    const created = await api.ok(
      `mutation { createActivityType(slug: "call", name: "Call", description: "On the phone") { id slug name description isActive } }`,
      {},
      tenant.admin.token,
    );
    const id = created.createActivityType.id;
    expect(created.createActivityType).toMatchObject({ slug: "call", name: "Call", isActive: true });
    const updated = await api.ok(
      `mutation($id: ID!) { updateActivityType(id: $id, name: "Phone call", isActive: false) { id name description isActive } }`,
      { id },
      tenant.admin.token,
    );
    expect(updated.updateActivityType).toEqual({
      id,
      name: "Phone call",
      description: "On the phone",
      isActive: false,
    });
    const read = await api.ok(
      `query($id: ID!) { ActivityType(id: $id) { name } }`,
      { id },
      tenant.admin.token,
    );
    expect(read.ActivityType.name).toBe("Phone call");
    const deleted = await api.ok(
      `mutation($id: ID!) { deleteActivityType(id: $id) { id name } }`,
      { id },
      tenant.admin.token,
    );
    expect(deleted.deleteActivityType).toEqual({ id, name: "Phone call" });
    const gone = await api.gql(
      `query($id: ID!) { ActivityType(id: $id) { id } }`,
      { id },
      tenant.admin.token,
    );
    expect(gone.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });

  it("manages users and roles, and refuses deleting a role still held", async () => {
    const tenant = await makeTenant(api);
    const role = await api.ok(
      `mutation { createRole(key: "mentor_lead", name: "Mentor lead", permissions: ["read:progress", "log:activities"], isParticipant: true) { id key permissions isParticipant isBuiltIn } }`,
      {},
      tenant.admin.token,
    );
    expect(role.createRole).toMatchObject({ key: "mentor_lead", isParticipant: true, isBuiltIn: false });
    const user = await api.ok(
      `mutation($roleId: ID!) { createUser(email: "Lead@Example.TEST", displayName: "Lead", roleId: $roleId, password: "long enough password") {
        id email hasPassword organizationId role { key } } }`,
      { roleId: role.createRole.id },
      tenant.admin.token,
    );
    expect(user.createUser).toMatchObject({
      email: "lead@example.test",
      hasPassword: true,
      organizationId: tenant.organization.id,
      role: { key: "mentor_lead" },
    });
    const inUse = await api.gql(
      `mutation($id: ID!) { deleteRole(id: $id) { id } }`,
      { id: role.createRole.id },
      tenant.admin.token,
    );
    expect(inUse.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ rule: "in_use" }],
    });
    const duplicate = await api.gql(
      `mutation($roleId: ID!) { createUser(email: "lead@example.test", displayName: "Again", roleId: $roleId) { id } }`,
      { roleId: role.createRole.id },
      tenant.admin.token,
    );
    expect(duplicate.errors![0]!.extensions!.issues[0]).toMatchObject({ field: "email", rule: "unique" });
    const short = await api.gql(
      `mutation($id: ID!) { updateUser(id: $id, password: "short") { id } }`,
      { id: user.createUser.id },
      tenant.admin.token,
    );
    expect(short.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "password",
      rule: "password_min_length",
    });
    const users = await api.ok(
      `query($roleId: ID!) { allUsers(filter: { roleId: $roleId }) { email } _allUsersMeta(filter: { roleId: $roleId }) { count } }`,
      { roleId: role.createRole.id },
      tenant.admin.token,
    );
    expect(users).toEqual({ allUsers: [{ email: "lead@example.test" }], _allUsersMeta: { count: 1 } });
  });

  it("lets an organization admin change their organization's settings", async () => {
    const tenant = await makeTenant(api);
    const result = await api.ok(
      `mutation($id: ID!) { updateOrganization(id: $id, timeZone: "Europe/Oslo", locale: "nb", modules: ["achievements-gamification", "achievements-gamification"]) {
        timeZone locale modules } }`,
      { id: tenant.organization.id },
      tenant.admin.token,
    );
    expect(result.updateOrganization).toEqual({
      timeZone: "Europe/Oslo",
      locale: "nb",
      modules: ["achievements-gamification"],
    });
  });
});
