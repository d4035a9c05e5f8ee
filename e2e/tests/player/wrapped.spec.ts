import { expect, test } from "@playwright/test";
import { screenshot } from "../../support/screenshots.js";
import { DEMO, codeToken, formatInPage, gql, signInInApp, yearInOslo } from "./api.js";

test.use({ viewport: { width: 390, height: 844 } });

test("Wrapped for the last full year shows the API's totals, and this year is a labelled preview", async ({
  page,
}) => {
  const year = yearInOslo() - 1;
  const token = await codeToken(DEMO.mentors.sofie);
  const { myAnnualSummary: summary } = await gql(
    `query($y: Int!) { myAnnualSummary(year: $y) { isPreview totalActivities totalHours totalContactsReached totalEventsAttended } }`,
    { y: year },
    token,
  );
  expect(summary.isPreview).toBe(false);
  expect(summary.totalActivities).toBeGreaterThan(0);

  await signInInApp(page, DEMO.mentors.sofie);
  await page.getByRole("navigation").getByRole("link", { name: "Året ditt" }).click();
  await expect(page.locator("select[name=year]")).toHaveValue(String(year));
  const story = page.getByTestId("wrapped-story");
  await expect(story).toContainText(String(year));
  await expect(page.getByTestId("wrapped-preview")).toHaveCount(0);

  await story.getByRole("button", { name: /Neste/ }).click();
  await expect(story).toHaveAttribute("data-slide", "totals");
  const expected = {
    "total-activities": await formatInPage(page, summary.totalActivities, { maximumFractionDigits: 0 }),
    "total-hours": await formatInPage(page, summary.totalHours, { maximumFractionDigits: 1 }),
    "total-contacts": await formatInPage(page, summary.totalContactsReached, { maximumFractionDigits: 0 }),
    "total-events": await formatInPage(page, summary.totalEventsAttended, { maximumFractionDigits: 0 }),
  };
  for (const [testId, text] of Object.entries(expected))
    await expect(page.getByTestId(testId)).toHaveText(text);
  await page.screenshot({ path: screenshot("player-wrapped.png") });

  await story.getByRole("button", { name: /Neste/ }).click();
  await expect(page.getByTestId("wrapped-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();

  // Opening the story marks it viewed (seed 002's viewed_at).
  await expect
    .poll(
      async () =>
        (await gql(`query($y: Int!) { myAnnualSummary(year: $y) { viewedAt } }`, { y: year }, token))
          .myAnnualSummary.viewedAt,
    )
    .not.toBeNull();

  await page.locator("select[name=year]").selectOption(String(year + 1));
  await expect(page.getByTestId("wrapped-preview")).toContainText("Forhåndsvisning hittil i år");
});
