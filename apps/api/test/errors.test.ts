import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant, signIn } from "./support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

describe("validation errors", () => {
  it("name every broken field and rule, and change nothing", async () => {
    const tenant = await makeTenant(api);
    const result = await api.gql(
      `mutation($id: ID!) { updateOrganization(id: $id, name: "  ", timeZone: "Mars/Olympus", currency: "XXY") { id } }`,
      { id: tenant.organization.id },
      tenant.admin.token,
    );
    expect(result.data).toBeNull();
    const error = result.errors![0]!;
    expect(error.extensions!.code).toBe("BAD_USER_INPUT");
    expect(error.extensions!.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "name", rule: "name_not_empty", severity: "error" }),
        expect.objectContaining({ field: "timeZone", rule: "time_zone_valid" }),
        expect.objectContaining({ field: "currency", rule: "currency_valid" }),
      ]),
    );
    expect(error.message).toMatch(/^name: /);
    const after = await api.ok(
      `query($id: ID!) { Organization(id: $id) { name timeZone currency } }`,
      { id: tenant.organization.id },
      tenant.admin.token,
    );
    expect(after.Organization).toEqual({ name: tenant.organization.name, timeZone: "UTC", currency: "NOK" });
  });

  it("report a broken unique constraint as a field error", async () => {
    const tenant = await makeTenant(api);
    await api.ok(
      `mutation { createActivityType(slug: "home_visit", name: "Home visit") { id } }`,
      {},
      tenant.admin.token,
    );
    const again = await api.gql(
      `mutation { createActivityType(slug: "home_visit", name: "Again") { id } }`,
      {},
      tenant.admin.token,
    );
    expect(again.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "slug", rule: "unique" }],
    });
  });

  it("refuse an unknown sort field by name", async () => {
    const tenant = await makeTenant(api);
    const result = await api.gql(`{ allUsers(sortField: "passwordHash") { id } }`, {}, tenant.admin.token);
    expect(result.errors![0]!.extensions!.issues[0]).toMatchObject({ field: "sortField", rule: "one_of" });
  });
});

describe("the GraphQL endpoint's protections", () => {
  it("gives no field suggestions", async () => {
    const result = await api.gql(`{ mee { id } }`);
    expect(result.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(JSON.stringify(result.errors)).not.toMatch(/Did you mean/);
  });

  it("refuses simple (CSRF-able) requests", async () => {
    const get = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ health { status } }")}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
    const form = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ health { status } }" }),
    });
    expect(form.status).toBe(400);
  });

  it("limits depth and aliases", async () => {
    const ofTypes = (n: number) => "ofType { ".repeat(n) + "name" + " }".repeat(n);
    const shallow = await api.gql(`{ __schema { types { fields { type { ${ofTypes(3)} } } } } }`);
    expect(shallow.errors).toBeUndefined();
    // Checked before anything runs, whatever the fields: a query nested 14 deep is refused for its depth.
    const nest = (n: number): string => (n === 0 ? "id" : `me { ${nest(n - 1)} }`);
    const deep = await api.gql(`{ ${nest(14)} }`);
    expect(deep.data).toBeUndefined();
    expect(deep.errors!.map((e) => e.message).join(" ")).toMatch(/depth/i);

    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: health { status }`).join(" ")} }`;
    expect((await api.gql(aliases(10))).errors).toBeUndefined();
    const many = await api.gql(aliases(40));
    expect(many.data).toBeUndefined();
    expect(many.errors![0]!.message).toMatch(/alias/i);
  });

  it("answers malformed JSON with a JSON error, not a page with a stack", async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });
});

describe("production mode", () => {
  it("masks internal errors: no message, no stack trace; turns introspection and the playground off", async () => {
    const database = await openTestDatabase();
    const prod = await startTestServer({
      database,
      env: { NODE_ENV: "production", LAUREL_SCHEDULER: "false" },
    });
    try {
      const tenant = await makeTenant(prod);
      const token = await signIn(prod, tenant.admin.user.email);

      const clientError = await prod.gql(
        `mutation { createActivityType(slug: "Bad Slug", name: "x") { id } }`,
        {},
        token,
      );
      expect(clientError.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
      expect(clientError.errors![0]!.extensions!.stacktrace).toBeUndefined();

      const introspection = await prod.gql(`{ __schema { types { name } } }`);
      expect(introspection.errors![0]!.message).toMatch(/introspection/i);
      expect((await fetch(`${prod.url}/graphiql`)).status).toBe(404);

      // The database goes away: the client learns only that something failed inside.
      await database.close();
      const internal = await prod.gql(`{ allUsers { id } }`, {}, token);
      expect(internal.errors![0]).toEqual(
        expect.objectContaining({
          message: "Internal server error",
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        }),
      );
      expect(JSON.stringify(internal)).not.toMatch(/stack|\.ts:|\.js:|select|relation/i);
    } finally {
      await prod.close();
    }
  });
});

describe("ids and parsing", () => {
  it("refuses an argument that is not an id by name, before it reaches the database", async () => {
    const tenant = await makeTenant(api);
    const result = await api.gql(`{ Role(id: "1; drop table roles") { id } }`, {}, tenant.admin.token);
    expect(result.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      issues: [{ field: "id", rule: "id_format" }],
    });
    const nested = await api.gql(`{ allUsers(filter: { ids: ["x"] }) { id } }`, {}, tenant.admin.token);
    expect(nested.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "filter.ids.0",
      rule: "id_format",
    });
  });

  it("answers a syntax error and a token flood with 400, not 500", async () => {
    const broken = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ health { status " }),
    });
    expect(broken.status).toBe(400);
    const flood = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ ${"health { status } ".repeat(3000)} }` }),
    });
    expect(flood.status).toBe(400);
    expect(await flood.text()).toMatch(/token/i);
  });
});
