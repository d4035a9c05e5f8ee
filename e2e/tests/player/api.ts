import { type Page, type WebSocket, expect } from "@playwright/test";
import { DEMO_URL } from "../../playwright.config.js";

/** The demo's accounts, as the demo loader writes them (apps/api/src/seed/demo.ts). */
export const DEMO = {
  devCode: "12345",
  admin: { email: "ingrid@helpinghands.demo", password: "helping-hands-admin" },
  mentors: {
    ola: "ola@helpinghands.demo",
    sofie: "sofie@helpinghands.demo",
    amir: "amir@helpinghands.demo",
    lene: "lene@helpinghands.demo",
  },
  // Each spec signs in a player of its own: sign-in codes are throttled per email.
  players: { maja: "maja@nova-arena.demo", leo: "leo@nova-arena.demo", zoe: "zoe@nova-arena.demo" },
  timeZone: "Europe/Oslo",
};

/** Posts operations to the API at `base` over HTTP; the function fails the test on any GraphQL error. */
export function gqlOn(base: string) {
  return async function gql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<T> {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  };
}

/** Posts an operation to the demo API. */
export const gql = gqlOn(DEMO_URL);

export async function codeToken(email: string): Promise<string> {
  await gql(`mutation($e: String!) { requestSignInCode(email: $e) }`, { e: email });
  const data = await gql<{ loginWithCode: { token: string } }>(
    `mutation($e: String!, $c: String!) { loginWithCode(email: $e, code: $c) { token } }`,
    { e: email, c: DEMO.devCode },
  );
  return data.loginWithCode.token;
}

export async function adminToken(): Promise<string> {
  const data = await gql<{ login: { token: string } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: DEMO.admin.email, p: DEMO.admin.password },
  );
  return data.login.token;
}

/** The current year where the organization is. */
export function yearInOslo(): number {
  return Number(
    new Intl.DateTimeFormat("en", { year: "numeric", timeZone: DEMO.timeZone }).format(new Date()),
  );
}

/** Signs in through the player app's own screens: email, then the one-time code. */
export async function signInInApp(page: Page, email: string) {
  await page.goto("/player/");
  await page.locator("input[name=email]").fill(email);
  await page.locator("button[type=submit]").click();
  await page.locator("input[name=code]").fill(DEMO.devCode);
  await page.locator("button[type=submit]").click();
  await expect(page.getByTestId("badge-card").first()).toBeVisible();
}

/** Formats in the page's own language, as the app does, so the comparison is with what Intl gives there. */
export function formatInPage(page: Page, value: number, options: Intl.NumberFormatOptions): Promise<string> {
  return page.evaluate(([v, o]) => new Intl.NumberFormat(document.documentElement.lang, o).format(v), [
    value,
    options,
  ] as const);
}

/** Nova Trading Arena's admin (the demo's game tenant). */
export async function novaAdminToken(): Promise<string> {
  const data = await gql<{ login: { token: string } }>(
    `mutation { login(email: "admin@nova-arena.demo", password: "nova-arena-admin") { token } }`,
  );
  return data.login.token;
}

/** An achievement of one rule, `count(eventType) >= target`, in the admin's tenant; its key is `eventType`. */
export async function achievementOn(
  token: string,
  eventType: string,
  name: string,
  target: number,
  points: number,
) {
  const { createMetric } = await gql(
    `mutation($k: String!) { createMetric(key: $k, name: $k, eventTypes: [$k], aggregation: count) { id } }`,
    { k: eventType },
    token,
  );
  const { createAchievementRule } = await gql(
    `mutation($m: ID!, $t: Float!) { createAchievementRule(name: "e2e live", metricId: $m, comparator: gte, target: $t, weight: 100) { id } }`,
    { m: createMetric.id, t: target },
    token,
  );
  await gql(
    `mutation($k: String!, $n: String!, $r: ID!, $p: Int!) { createAchievement(key: $k, name: $n, description: "Earned live",
      category: competition, triggerType: rules, ruleIds: [$r], points: $p) { id } }`,
    { k: eventType, n: name, r: createAchievementRule.id, p: points },
    token,
  );
}

/** The game server: reports an event for a user with an API key of the tenant. */
export function gameServer(apiKey: string) {
  return async (userId: string, type: string, idempotencyKey: string) => {
    const response = await fetch(`${DEMO_URL}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({
        query: `mutation($u: ID!, $t: String!, $k: String) { recordEvent(userId: $u, type: $t, idempotencyKey: $k) { replayed } }`,
        variables: { u: userId, t: type, k: idempotencyKey },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  };
}

/** The page's next WebSocket to /graphql (a live subscription's connection). */
export function liveSocket(page: Page): Promise<WebSocket> {
  return new Promise((resolve) => page.on("websocket", (ws) => ws.url().endsWith("/graphql") && resolve(ws)));
}

/**
 * Until a subscription on `socket` is in place on the server (it has no outward sign of its own): `probe`
 * reports an event that moves the subscriber's progress, until an event comes back over the socket.
 */
export async function untilSubscribed(socket: Promise<WebSocket>, probe: (attempt: number) => Promise<void>) {
  const ws = await socket;
  for (let attempt = 1; ; attempt++) {
    const next = ws.waitForEvent("framereceived", {
      predicate: (frame) => String(frame.payload).includes('"type":"next"'),
      timeout: 3_000,
    });
    await probe(attempt);
    try {
      await next;
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}
