import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTenant } from "./support/factories.js";
import { startTestServer, type TestApi } from "./support/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

async function upload(token: string | undefined, body: Buffer, type: string, name = "badge.png") {
  const form = new FormData();
  form.append("file", new Blob([body], { type }), name);
  const response = await fetch(`${api.url}/uploads`, {
    method: "POST",
    body: form,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("badge image uploads", () => {
  it("stores a real image and serves it with headers that run nothing", async () => {
    const tenant = await makeTenant(api);
    const stored = await upload(tenant.admin.token, PNG, "image/png");
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      url: expect.stringMatching(/^\/uploads\/[0-9a-f-]{36}$/),
      contentType: "image/png",
      byteSize: PNG.length,
    });
    const served = await fetch(`${api.url}${stored.body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it.each([
    [
      "a text file that claims to be a PNG",
      Buffer.from("<script>alert(1)</script>"),
      "image/png",
      "image_type",
    ],
    [
      "an SVG (it can carry script)",
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "image/svg+xml",
      "image_type",
    ],
    ["a PNG that claims to be a JPEG", PNG, "image/jpeg", "image_type_mismatch"],
    [
      "an image over the size limit",
      Buffer.concat([PNG, Buffer.alloc(600 * 1024)]),
      "image/png",
      "file_too_large",
    ],
  ])("refuses %s", async (_what, body, type, rule) => {
    const tenant = await makeTenant(api);
    const refused = await upload(tenant.admin.token, body, type);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.issues[0]).toMatchObject({ field: "file", rule });
  });

  it("needs a signed-in admin who may change achievements", async () => {
    const tenant = await makeTenant(api);
    expect((await upload(undefined, PNG, "image/png")).status).toBe(401);
    const coordinator = await tenant.as("coordinator");
    expect((await upload(coordinator.token, PNG, "image/png")).status).toBe(403);
  });
});
