import { expect, test } from "@playwright/test";
import { screenshot } from "../support/screenshots.js";

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
