import { randomBytes } from "node:crypto";
import { expect, test, type WebSocket } from "@playwright/test";
import { codeToken, DEMO, gql, signInInApp } from "./api.js";

test.use({ viewport: { width: 390, height: 844 } });

const NOVA_ADMIN = { email: "admin@nova-arena.demo", password: "nova-arena-admin" };

/** An achievement of one rule, `count(eventType) >= target`, in Nova Trading Arena. */
async function achievementOn(token: string, eventType: string, name: string, target: number, points: number) {
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

test("the player app shows the unlock dialog for an award the game server's event caused while it is open", async ({
  page,
}) => {
  const suffix = randomBytes(4).toString("hex");
  const { login } = await gql(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: NOVA_ADMIN.email, p: NOVA_ADMIN.password },
  );
  const admin = login.token as string;
  // A probe that moves progress and never completes, and the badge the game server's event unlocks.
  const probe = `e2e_probe_${suffix}`;
  const live = `e2e_live_${suffix}`;
  const name = `Live unlock ${suffix}`;
  await achievementOn(admin, probe, `Probe ${suffix}`, 100, 0);
  await achievementOn(admin, live, name, 1, 25);
  const { createApiKey } = await gql(
    `mutation { createApiKey(name: "e2e game server") { secret } }`,
    {},
    admin,
  );
  const player = await codeToken(DEMO.players.maja);
  const { me } = await gql(`{ me { id } }`, {}, player);
  const recordEvent = async (type: string, key: string) => {
    const response = await fetch(`${new URL(page.url()).origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": createApiKey.secret },
      body: JSON.stringify({
        query: `mutation($u: ID!, $t: String!, $k: String) { recordEvent(userId: $u, type: $t, idempotencyKey: $k) { replayed } }`,
        variables: { u: me.id, t: type, k: key },
      }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  };

  // The app's live connection: its frames show when the server sends it an event.
  const socket = new Promise<WebSocket>((resolve) =>
    page.on("websocket", (ws) => ws.url().endsWith("/graphql") && resolve(ws)),
  );
  await signInInApp(page, DEMO.players.maja);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  const ws = await socket;
  const nextFrame = () =>
    ws.waitForEvent("framereceived", {
      predicate: (frame) => String(frame.payload).includes('"type":"next"'),
      timeout: 3_000,
    });

  // Until the app's subscription is in place on the server: a probe event's progress reaches the page.
  for (let attempt = 1; ; attempt++) {
    const next = nextFrame();
    await recordEvent(probe, `probe-${attempt}`);
    try {
      await next;
      break;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }

  // The game server reports the event that unlocks the badge; nobody touches the page.
  await recordEvent(live, "unlock");
  const dialog = page.getByTestId("unlock-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Badge unlocked!");
  await expect(dialog).toContainText(name);
  await expect(dialog).toContainText("+25 points");
  await dialog.getByRole("button").click();
  await expect(dialog).toHaveCount(0);
  // The catalog behind it was read again: the badge shows as earned, and the page never reloaded.
  await expect(page.locator(`[data-testid=badge-card][data-key="${live}"]`)).toHaveAttribute(
    "data-state",
    "EARNED",
  );
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});
