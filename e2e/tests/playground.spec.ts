import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { screenshot } from "../support/screenshots.js";
import {
  achievementOn,
  codeToken,
  DEMO,
  gameServer,
  gql,
  liveSocket,
  novaAdminToken,
  untilSubscribed,
} from "./player/api.js";

/** Requests to anything but this machine: the playground must make none. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
}

test("the playground loads and runs a query with no request leaving the machine", async ({
  page,
  context,
}) => {
  const outside: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));

  await page.goto("/graphiql");
  await expect(page.getByText("Welcome to Laurel's GraphQL playground")).toBeVisible();
  await page.locator(".graphiql-execute-button").click();
  await expect(page.locator(".result-window")).toContainText('"status": "ok"');
  await expect(page.locator(".result-window")).toContainText('"database": "pglite"');

  expect(requests.some((url) => url.endsWith("/graphql"))).toBe(true);
  expect(outside).toEqual([]);
  await page.screenshot({ path: screenshot("playground.png") });
});

test("the playground runs a subscription over a WebSocket, with the token from the Headers tab", async ({
  page,
}) => {
  const suffix = randomBytes(4).toString("hex");
  const admin = await novaAdminToken();
  const probe = `e2e_gql_probe_${suffix}`;
  const live = `e2e_gql_live_${suffix}`;
  await achievementOn(admin, probe, `Probe ${suffix}`, 100, 0);
  await achievementOn(admin, live, `Playground unlock ${suffix}`, 1, 5);
  const { createApiKey } = await gql(
    `mutation { createApiKey(name: "e2e playground") { secret } }`,
    {},
    admin,
  );
  const report = gameServer(createApiKey.secret);
  const token = await codeToken(DEMO.players.leo);
  const { me } = await gql(`{ me { id } }`, {}, token);

  await page.goto("/graphiql");
  await expect(page.getByText("Welcome to Laurel's GraphQL playground")).toBeVisible();
  // Typed as pasted text: the editor closes brackets as they are typed, not as they are inserted.
  await page.locator(".graphiql-query-editor .CodeMirror").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(`subscription Live { myEvents { type earned { achievement { name } } } }`);
  await page.getByRole("button", { name: "Headers" }).click();
  await page.locator(".graphiql-editor-tool .CodeMirror").last().click();
  await page.keyboard.insertText(`{ "Authorization": "Bearer ${token}" }`);
  const socket = liveSocket(page);
  await page.locator(".graphiql-execute-button").click();
  await untilSubscribed(socket, (attempt) => report(me.id, probe, `probe-${suffix}-${attempt}`));

  // The award's event comes over the playground's socket; the result pane shows each event in turn (the
  // progress.changed that follows the award soon replaces it), so the frames are what is checked.
  const ws = await socket;
  const award = ws.waitForEvent("framereceived", {
    predicate: (frame) => String(frame.payload).includes(`Playground unlock ${suffix}`),
  });
  await report(me.id, live, `unlock-${suffix}`);
  expect(JSON.parse(String((await award).payload))).toMatchObject({
    type: "next",
    payload: { data: { myEvents: { type: "achievement.earned" } } },
  });
  await expect(page.locator(".result-window")).toContainText('"myEvents"');
});
