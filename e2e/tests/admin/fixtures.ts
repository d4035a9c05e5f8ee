import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { FRESH_ADMIN, FRESH_URL } from "../../playwright.config.js";

export const DEV_CODE = "12345";

type Credential = { token?: string; apiKey?: string };
type GraphQLResponse<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** One GraphQL operation against the fresh API, as a user (bearer token) or a backend (API key). */
export async function gql<T = Record<string, any>>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  as: Credential = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (as.token) headers.authorization = `Bearer ${as.token}`;
  if (as.apiKey) headers["x-api-key"] = as.apiKey;
  const response = await request.post(`${FRESH_URL}/graphql`, { data: { query, variables }, headers });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like gql, but fails the test on any error. */
export async function ok<T = Record<string, any>>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  as: Credential = {},
): Promise<T> {
  const result = await gql<T>(request, query, variables, as);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

export async function login(request: APIRequestContext, email: string, password: string): Promise<string> {
  const data = await ok<{ login: { token: string } }>(
    request,
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  return data.login.token;
}

export type Tenant = Awaited<ReturnType<typeof setUpTenant>>;

/**
 * A game tenant made through the API as the first Global Administrator: the organization, its admin
 * (password), a player (sign-in code) and an API key for the game's backend.
 */
export async function setUpTenant(request: APIRequestContext, label: string) {
  const suffix = `${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const root = await login(request, FRESH_ADMIN.email, FRESH_ADMIN.password);
  const roles = await ok<{ allRoles: { id: string; key: string }[] }>(
    request,
    `{ allRoles(perPage: 100) { id key } }`,
    {},
    { token: root },
  );
  const roleId = (key: string) => roles.allRoles.find((r) => r.key === key)!.id;
  const { createOrganization: organization } = await ok<{ createOrganization: { id: string; name: string } }>(
    request,
    `mutation($name: String!, $slug: String!) {
      createOrganization(name: $name, slug: $slug, modules: ["achievements-gamification"]) { id name } }`,
    { name: `Arena ${suffix}`, slug: `arena-${suffix}` },
    { token: root },
  );
  const createUser = async (role: string, name: string, password?: string) => {
    const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${suffix}@laurel.test`;
    const made = await ok<{ createUser: { id: string; email: string; displayName: string } }>(
      request,
      `mutation($displayName: String!, $email: String!, $password: String, $roleId: ID!, $organizationId: ID) {
        createUser(displayName: $displayName, email: $email, password: $password, roleId: $roleId, organizationId: $organizationId) {
          id email displayName } }`,
      { displayName: name, email, password, roleId: role, organizationId: organization.id },
      { token: root },
    );
    return { ...made.createUser, password };
  };
  const admin = await createUser(roleId("org_admin"), "Arena Admin", "arena admin password");
  const player = await createUser(roleId("player"), `Player ${suffix}`);
  const adminToken = await login(request, admin.email, admin.password!);
  const key = await ok<{ createApiKey: { secret: string } }>(
    request,
    `mutation { createApiKey(name: "game server") { secret } }`,
    {},
    { token: adminToken },
  );
  return {
    root,
    organization,
    admin: { ...admin, token: adminToken },
    player,
    apiKey: key.createApiKey.secret,
    roleId,
    createUser,
  };
}

/** A rule made through the API, on a shipped metric. */
export async function makeRule(
  request: APIRequestContext,
  token: string,
  rule: { name: string; metric: string; comparator?: string; target: number; weight: number },
): Promise<string> {
  const metrics = await ok<{ allMetrics: { id: string; key: string }[] }>(
    request,
    `query($q: String) { allMetrics(perPage: 500, filter: { q: $q }) { id key } }`,
    { q: rule.metric },
    { token },
  );
  const metricId = metrics.allMetrics.find((m) => m.key === rule.metric)!.id;
  const made = await ok<{ createAchievementRule: { id: string } }>(
    request,
    `mutation($name: String!, $metricId: ID!, $comparator: Comparator!, $target: Float!, $weight: Int!) {
      createAchievementRule(name: $name, metricId: $metricId, comparator: $comparator, target: $target, weight: $weight) { id } }`,
    {
      name: rule.name,
      metricId,
      comparator: rule.comparator ?? "gte",
      target: rule.target,
      weight: rule.weight,
    },
    { token },
  );
  return made.createAchievementRule.id;
}

/** Signs in on the panel's login page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/admin/");
  await page.getByLabel(/Username/).fill(email);
  await page.getByLabel(/Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("menuitem", { name: "Achievements", exact: true })).toBeVisible();
}

export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole("menuitem", { name, exact: true }).click();
}

/** Picks an option of a MUI select by its label. */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByLabel(label).click();
  await page.getByRole("option", { name: option }).click();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 64x64 PNG (a gold medal on blue), written to a temporary file. */
export function badgePng(): string {
  const size = 64;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const inside = (x - 32) ** 2 + (y - 32) ** 2 < 24 ** 2;
      row.set(inside ? [240, 190, 40] : [25, 90, 190], 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  const file = join(mkdtempSync(join(tmpdir(), "laurel-badge-")), "first-win.png");
  writeFileSync(file, png);
  return file;
}
