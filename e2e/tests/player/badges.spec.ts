import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { screenshot } from "../../support/screenshots.js";
import { DEMO, adminToken, codeToken, gql, signInInApp } from "./api.js";

test.use({ viewport: { width: 390, height: 844 } });

test("a peer mentor sees earned and locked badges, logs an activity and sees a badge unlock at once, a hidden one too", async ({
  page,
}) => {
  // The threshold is one activity above where Lene is now, so the next activity she logs crosses it.
  const mentor = await codeToken(DEMO.mentors.lene);
  const { me } = await gql(`{ me { id } }`, {}, mentor);
  const { _allActivitiesMeta } = await gql(
    `query($u: ID!) { _allActivitiesMeta(filter: { userId: $u }) { count } }`,
    { u: me.id },
    mentor,
  );
  const count = _allActivitiesMeta.count as number;
  const suffix = randomBytes(4).toString("hex");
  const key = `e2e_next_${suffix}`;
  const name = `Neste steg ${suffix}`;
  await gql(
    `mutation($key: String!, $name: String!, $th: Int!) {
      createAchievement(key: $key, name: $name, description: "One more activity than before",
        category: activity, triggerType: activity_count, triggerThreshold: $th, points: 15) { id } }`,
    { key, name, th: count + 1 },
    await adminToken(),
  );
  // A hidden badge the same activity earns: out of the catalog until then, only counted.
  const hiddenName = `Skjult steg ${suffix}`;
  await gql(
    `mutation($key: String!, $name: String!, $th: Int!) {
      createAchievement(key: $key, name: $name, description: "A secret step", isHidden: true,
        category: activity, triggerType: activity_count, triggerThreshold: $th) { id } }`,
    { key: `e2e_hidden_${suffix}`, name: hiddenName, th: count + 1 },
    await adminToken(),
  );

  await signInInApp(page, DEMO.mentors.lene);
  // Earned badges with their date, and the new one locked, with what is left.
  const earned = page.locator('[data-testid=badge-card][data-state="EARNED"]');
  await expect(earned.first()).toBeVisible();
  await expect(earned.filter({ hasText: "Ti aktiviteter" })).toContainText("Oppnådd");
  const next = page.locator(`[data-testid=badge-card][data-key="${key}"]`);
  await expect(next).toHaveAttribute("data-state", /LOCKED|IN_PROGRESS/);
  await expect(next).toContainText("1 aktivitet til");
  await expect(page.getByTestId("badge-widget")).toBeVisible();
  await expect(page.getByTestId("hidden-remaining")).toContainText("1 skjult merke igjen å oppdage");
  await expect(page.locator("main")).not.toContainText(hiddenName);

  // No reload from here on: a marker on the window must survive.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByRole("navigation").getByRole("link", { name: "Registrer aktivitet" }).click();
  await page.locator("select[name=activityType]").selectOption({ index: 1 });
  await page.locator("input[name=duration]").fill("45");
  await page.locator("input[name=contact]").fill(`contact-e2e-${suffix}`);
  await page.locator("button[type=submit]").click();

  const dialog = page.getByTestId("unlock-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(name);
  await expect(dialog).toContainText("+15 poeng");
  await expect(dialog).toContainText(hiddenName);
  await dialog.getByRole("link").click();

  await expect(page.locator(`[data-testid=badge-card][data-key="${key}"]`)).toHaveAttribute(
    "data-state",
    "EARNED",
  );
  await expect(page.locator(`[data-testid=badge-card][data-key="${key}"]`)).toContainText("Oppnådd");
  await expect(page.locator("[data-testid=badge-card]", { hasText: hiddenName })).toHaveAttribute(
    "data-state",
    "EARNED",
  );
  await expect(page.getByTestId("hidden-remaining")).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // The detail view of a badge.
  await page.locator(`[data-testid=badge-card][data-key="${key}"]`).click();
  await expect(page.getByTestId("badge-detail")).toContainText("One more activity than before");
  await page.getByRole("link", { name: /Alle merker/ }).click();
  await expect(page.getByTestId("badge-card").first()).toBeVisible();
  await page.screenshot({ path: screenshot("player-badges.png") });
});

test("a player of the trading game sees Trading Master at 76%", async ({ page }) => {
  await signInInApp(page, DEMO.players.maja);
  const card = page.locator("[data-testid=badge-card]", { hasText: "Trading Master" });
  await expect(card).toHaveAttribute("data-state", "IN_PROGRESS");
  await expect(card.getByTestId("badge-progress")).toHaveText("76%");
  await expect(card).toContainText("2 more wins");
  await card.click();
  await expect(page.getByTestId("badge-detail")).toContainText(
    "Ten wins, 500 in profit and 100 closed trades.",
  );
  await expect(page.getByTestId("badge-detail")).toContainText("76%");
});
