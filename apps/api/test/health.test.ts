import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

describe("health and playground", () => {
  it("answers /health with the database in use", async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: process.env.DATABASE_URL ? "postgres" : "pglite",
      // No mail transport outside production: codes are written to the log.
      signInCodes: "log",
      version: expect.any(String),
    });
    expect((await api.ok(`{ health { status } }`)).health.status).toBe("ok");
  });

  it("serves the playground page with a policy that keeps it on this server", async () => {
    const response = await fetch(`${api.url}/graphiql/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain("Laurel GraphQL playground");
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });
});
