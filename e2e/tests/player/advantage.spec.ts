import { expect, test } from "@playwright/test";
import { DEMO, codeToken, formatInPage, gql, signInInApp, yearInOslo } from "./api.js";

test("the calculator shows hours × the hourly rate, in the organization's currency, per year", async ({
  page,
}) => {
  const year = yearInOslo() - 1;
  const token = await codeToken(DEMO.mentors.amir);
  const { myAdvantage: advantage } = await gql(
    `query($y: Int!) { myAdvantage(year: $y) { totalHours hourlyRate estimatedMonetaryValue currency rateSource } }`,
    { y: year },
    token,
  );
  expect(advantage.hourlyRate).toBe(535);
  expect(advantage.currency).toBe("NOK");
  const value = advantage.totalHours * advantage.hourlyRate;
  expect(advantage.estimatedMonetaryValue).toBeCloseTo(value, 2);

  await signInInApp(page, DEMO.mentors.amir);
  await page.getByRole("navigation").getByRole("link", { name: "Din verdi" }).click();
  await page.locator("select[name=year]").selectOption(String(year));
  const money = await formatInPage(page, value, {
    style: "currency",
    currency: "NOK",
    maximumFractionDigits: 0,
  });
  await expect(page.getByTestId("advantage-value")).toHaveText(money);
  const rate = await formatInPage(page, 535, { style: "currency", currency: "NOK" });
  await expect(page.getByTestId("advantage-formula")).toContainText(rate);
  await expect(page.getByTestId("advantage-value-card")).toContainText(advantage.rateSource);
  await expect(page.getByTestId("advantage-chart").locator(".recharts-bar-rectangle")).toHaveCount(3);

  // This year's parameters differ: the picker changes the rate.
  await page.locator("select[name=year]").selectOption(String(year + 1));
  await expect(page.getByTestId("advantage-formula")).toContainText(
    await formatInPage(page, 560, { style: "currency", currency: "NOK" }),
  );
});
