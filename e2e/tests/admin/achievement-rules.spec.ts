import { expect, test } from "@playwright/test";
import { makeRule, ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

const COUNT = `query($q: String) { _allAchievementsMeta(filter: { q: $q }) { count } }`;

test("a multi-rule achievement whose weights do not sum to 100 is refused on the form", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "weights");
  await makeRule(request, tenant.admin.token, { name: "Ten wins", metric: "wins", target: 10, weight: 50 });
  await makeRule(request, tenant.admin.token, {
    name: "Profit 500",
    metric: "total_profit",
    target: 500,
    weight: 30,
  });
  await signIn(page, tenant.admin.email, tenant.admin.password!);

  await openMenu(page, "Achievements");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^Name/).fill("Trading Master");
  await page.getByLabel(/^Key/).fill("trading_master");
  await page.locator(".ProseMirror").fill("Win, profit and trade.");
  for (const rule of ["Ten wins", "Profit 500"]) {
    await page.getByLabel(/^Rules/).fill(rule);
    await page.getByRole("option", { name: new RegExp(rule) }).click();
  }
  await expect(page.getByTestId("rule-weight-sum")).toHaveText(/80 \/ 100/);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByText(
      "The weights of the selected rules sum to 80; they must sum to 100 (rule_weights_sum_100)",
    ),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/Achievement\/create/);

  const count = await ok<{ _allAchievementsMeta: { count: number } }>(
    request,
    COUNT,
    { q: "trading_master" },
    { token: tenant.admin.token },
  );
  expect(count._allAchievementsMeta.count).toBe(0);
});

test("an icon URL that is not an http(s) link or an upload is refused, and nothing is saved", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "icon");
  await makeRule(request, tenant.admin.token, { name: "Five wins", metric: "wins", target: 5, weight: 100 });
  await signIn(page, tenant.admin.email, tenant.admin.password!);

  await openMenu(page, "Achievements");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^Name/).fill("Five Wins");
  await page.getByLabel(/^Key/).fill("five_wins");
  await page.locator(".ProseMirror").fill("Win five matches.");
  await page.getByLabel("Icon URL").fill("javascript:alert(1)");
  await page.getByLabel(/^Rules/).fill("Five wins");
  await page.getByRole("option", { name: /Five wins/ }).click();
  await page.getByRole("button", { name: "Save" }).click();

  await expect(page.getByText(/iconUrl must be an https:\/\/.*\(icon_url_format\)/).first()).toBeVisible();
  await expect(page).toHaveURL(/\/Achievement\/create/);
  const count = await ok<{ _allAchievementsMeta: { count: number } }>(
    request,
    COUNT,
    { q: "five_wins" },
    { token: tenant.admin.token },
  );
  expect(count._allAchievementsMeta.count).toBe(0);
});
