import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
let uploadUrl: string;
beforeAll(async () => {
  api = await startTestServer();
  const tenant = await makeTenant(api);
  // A 1×1 transparent PNG.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  );
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), "badge.png");
  const stored = await fetch(`${api.url}/uploads`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${tenant.admin.token}` },
  });
  expect(stored.status).toBe(201);
  uploadUrl = ((await stored.json()) as { url: string }).url;
});
afterAll(() => api.close());

/** Every answer of the server, whatever it is: a page, an API answer, an image, an error. */
const answers: [string, () => Promise<Response>][] = [
  [
    "POST /graphql",
    () =>
      fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      }),
  ],
  ["GET /graphql (refused)", () => fetch(`${api.url}/graphql`)],
  ["GET /health", () => fetch(`${api.url}/health`)],
  ["GET /admin/", () => fetch(`${api.url}/admin/`)],
  ["GET /admin/ (a client-side route)", () => fetch(`${api.url}/admin/achievements`)],
  ["GET /player/", () => fetch(`${api.url}/player/`)],
  ["GET /graphiql", () => fetch(`${api.url}/graphiql`)],
  ["GET /uploads/<id>", () => fetch(`${api.url}${uploadUrl}`)],
  ["GET /uploads/<unknown>", () => fetch(`${api.url}/uploads/00000000-0000-0000-0000-000000000000`)],
  ["GET an unknown path", () => fetch(`${api.url}/nothing-here`)],
];

describe("security headers", () => {
  it.each(answers)("%s carries them", async (_name, ask) => {
    const response = await ask();
    await response.arrayBuffer();
    const h = response.headers;
    expect(h.get("x-content-type-options")).toBe("nosniff");
    expect(h.get("referrer-policy")).toBe("no-referrer");
    expect(h.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    expect(h.get("x-frame-options")).toBe("DENY");
    expect(h.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(h.get("x-dns-prefetch-control")).toBe("off");
    expect(h.get("x-permitted-cross-domain-policies")).toBe("none");
    expect(h.get("content-security-policy")).toMatch(/default-src '(none|self)'/);
    expect(h.get("x-powered-by")).toBeNull();
  });

  it("lets the pages load their own files and reach this server only", async () => {
    for (const path of ["/admin/", "/player/", "/graphiql"]) {
      const policy = (await fetch(`${api.url}${path}`)).headers.get("content-security-policy") ?? "";
      expect(policy, path).toContain("default-src 'self'");
      expect(policy, path).toContain("connect-src 'self'");
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy, path).toContain("object-src 'none'");
      // Images alone may come from elsewhere, as iconUrl allows: https, and http outside production (this
      // server is in test mode). Scripts and data never leave.
      expect(policy, path).toContain("img-src 'self' data: blob: https: http:");
      expect(policy.replace(/img-src [^;]*/, ""), path).not.toMatch(/https?:|unsafe-eval/);
    }
  });

  it("lets pages in production load images from https only, as iconUrl there allows", async () => {
    const prod = await startTestServer({
      database: api.database,
      env: { NODE_ENV: "production", LAUREL_SCHEDULER: "false" },
    });
    try {
      for (const path of ["/admin/", "/player/"]) {
        const policy = (await fetch(`${prod.url}${path}`)).headers.get("content-security-policy") ?? "";
        expect(policy, path).toMatch(/img-src 'self' data: blob: https:(;|$)/);
        expect(policy, path).not.toContain("http:");
      }
    } finally {
      await prod.close();
    }
  });

  it("gives what is not a page a policy that loads nothing, and uploads their own", async () => {
    const graphql = await answers[0]![1]();
    expect(graphql.headers.get("content-security-policy")).toContain("default-src 'none'");
    const image = await fetch(`${api.url}${uploadUrl}`);
    expect(image.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    // Badge images are shown by clients on other origins.
    expect(image.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect((await fetch(`${api.url}/health`)).headers.get("cross-origin-resource-policy")).toBe(
      "same-origin",
    );
  });
});
