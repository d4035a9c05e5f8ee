import { expect, test } from "@playwright/test";
import { screenshot } from "../../support/screenshots.js";
import { badgePng, choose, DEV_CODE, ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

test("seed 001: Creating First Win, walked in the panel, and the player's progress at 100%", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "firstwin");
  await signIn(page, tenant.admin.email, tenant.admin.password!);

  // Step 1: the rule.
  await openMenu(page, "Achievement Rules");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^Name/).fill("First Win Rule");
  await page.getByLabel(/^Field \(metric\)/).fill("wins");
  await page.getByRole("option", { name: /\(wins\)$/ }).click();
  await choose(page, /^Comparator/, ">= (gte)");
  await page.getByLabel(/^Target/).fill("1");
  await page.getByLabel(/^Weight/).fill("100");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("cell", { name: "First Win Rule" })).toBeVisible();

  // Step 2: the reward.
  await openMenu(page, "Consumables");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^Name/).fill("50 XP Boost");
  await choose(page, /^Type/, "exp");
  await page.getByLabel(/^Value/).fill("50");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("cell", { name: "50 XP Boost" })).toBeVisible();

  // Step 3: the achievement.
  await openMenu(page, "Achievements");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^Name/).fill("First Win");
  await page.getByLabel(/^Key/).fill("first_win");
  await page.locator(".ProseMirror").fill("Win your first match!");
  await page.getByLabel("Badge image file").setInputFiles(badgePng());
  await expect(page.getByLabel("Icon URL")).toHaveValue(/\/uploads\//);
  await expect(page.getByTestId("icon-preview").locator("img")).toHaveAttribute("src", /\/uploads\//);
  await page.getByLabel("Is Active").check();
  await expect(page.getByLabel("Is Active")).toBeChecked();
  await page.getByLabel(/^Rules/).fill("First Win");
  await page.getByRole("option", { name: /First Win Rule/ }).click();
  await expect(page.getByTestId("rule-weight-sum")).toHaveText(/100 \/ 100/);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await choose(page, /^Consumable/, /50 XP Boost/);
  // Tall enough for the whole form in one frame: a full-page capture would repeat the sticky app bar.
  await page.setViewportSize({ width: 1280, height: 2000 });
  await page.screenshot({ path: screenshot("admin-achievement-form.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("cell", { name: "first_win" })).toBeVisible();

  const saved = await ok<{ allAchievements: Record<string, any>[] }>(
    request,
    `{ allAchievements(filter: { q: "first_win" }) { key name description iconUrl isActive ruleIds rewards { quantity } } }`,
    {},
    { token: tenant.admin.token },
  );
  expect(saved.allAchievements).toHaveLength(1);
  expect(saved.allAchievements[0]).toMatchObject({
    key: "first_win",
    name: "First Win",
    isActive: true,
    rewards: [{ quantity: 1 }],
  });
  expect(saved.allAchievements[0]!.description).toContain("Win your first match!");
  expect(saved.allAchievements[0]!.iconUrl).toMatch(/^\/uploads\//);
  expect(saved.allAchievements[0]!.ruleIds).toHaveLength(1);

  // Step 4: the player signs in with the dev code and wins a match (reported by the game's backend).
  await ok(
    request,
    `mutation($email: String!, $code: String!) { loginWithCode(email: $email, code: $code) { token } }`,
    { email: tenant.player.email, code: DEV_CODE },
  );
  const won = await ok<{ recordEvent: { awards: { achievement: { key: string } }[] } }>(
    request,
    `mutation($userId: ID!) { recordEvent(userId: $userId, type: "match_won") { awards { achievement { key } } } }`,
    { userId: tenant.player.id },
    { apiKey: tenant.apiKey },
  );
  expect(won.recordEvent.awards.map((a) => a.achievement.key)).toEqual(["first_win"]);

  // ... and the admin checks the player's progress in the panel.
  await openMenu(page, "Users");
  await page.getByPlaceholder("Search name or email").fill(tenant.player.displayName);
  await page.getByRole("cell", { name: tenant.player.displayName }).click();
  const row = page.getByTestId("progress-first_win");
  await expect(row).toContainText("First Win");
  await expect(row).toContainText("100%");
  await expect(row).toContainText("completed");
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("standing-points")).toBeVisible();
  await page.screenshot({ path: screenshot("admin-user-progress.png"), fullPage: true });
});
