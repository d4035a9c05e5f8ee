import { expect, test } from "@playwright/test";
import { DEMO, adminToken, codeToken, gql, signInInApp } from "./api.js";

const SETTINGS = `mutation($id: ID!, $s: Boolean!) { updateOrganization(id: $id, emailSummaries: $s) { id } }`;
const ME = `{ me { emailOptOut organization { id } } }`;

test("a peer mentor turns their emails about badges and Wrapped off in the app, where the organization sends them", async ({
  page,
}) => {
  const admin = await adminToken();
  const mentor = await codeToken(DEMO.mentors.ola);
  const { me } = await gql<{ me: { emailOptOut: boolean; organization: { id: string } } }>(ME, {}, mentor);
  expect(me.emailOptOut).toBe(false);
  await gql(SETTINGS, { id: me.organization.id, s: true }, admin);
  try {
    await signInInApp(page, DEMO.mentors.ola);
    const emails = page.locator("input[name=emails]");
    await expect(emails).toBeChecked();
    await emails.uncheck();
    await expect
      .poll(async () => (await gql<{ me: { emailOptOut: boolean } }>(ME, {}, mentor)).me.emailOptOut)
      .toBe(true);
    await page.reload();
    await expect(page.locator("input[name=emails]")).not.toBeChecked();
  } finally {
    await gql(SETTINGS, { id: me.organization.id, s: false }, admin);
    await gql(`mutation { updateMyEmailPreferences(emailOptOut: false) { id } }`, {}, mentor);
  }
  // With the organization sending none, there is nothing to choose. (Ola: no other spec signs him in, and
  // code requests for one email are limited.)
  await page.reload();
  await expect(page.getByTestId("badge-card").first()).toBeVisible();
  await expect(page.locator("input[name=emails]")).toHaveCount(0);
});
