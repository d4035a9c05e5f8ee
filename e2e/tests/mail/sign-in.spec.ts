import { expect, test } from "@playwright/test";
import { FRESH_ADMIN, MAIL_SMTP_PORT, MAIL_URL } from "../../playwright.config.js";
import { startMailbox } from "../../support/mailbox.js";
import { gqlOn } from "../player/api.js";

let mailbox: Awaited<ReturnType<typeof startMailbox>>;
test.beforeAll(async () => {
  mailbox = await startMailbox(MAIL_SMTP_PORT);
});
test.afterAll(async () => {
  await mailbox.close();
});

const gql = gqlOn(MAIL_URL);

/** A Norwegian organization with one player, made by the first Global Administrator. */
async function norwegianPlayer() {
  const suffix = Date.now().toString(36);
  const { login } = await gql(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    {
      e: FRESH_ADMIN.email,
      p: FRESH_ADMIN.password,
    },
  );
  const { createOrganization } = await gql(
    `mutation($slug: String!) { createOrganization(name: "Kodeklubben", slug: $slug, locale: "nb") { id } }`,
    { slug: `kode-${suffix}` },
    login.token,
  );
  const { allRoles } = await gql(`{ allRoles(filter: { q: "player" }) { id key } }`, {}, login.token);
  const role = (allRoles as { id: string; key: string }[]).find((r) => r.key === "player")!;
  const email = `spiller-${suffix}@laurel.test`;
  await gql(
    `mutation($e: String!, $org: ID!, $role: ID!) {
      createUser(email: $e, displayName: "Spiller", organizationId: $org, roleId: $role) { id }
    }`,
    { e: email, org: createOrganization.id, role: role.id },
    login.token,
  );
  return email;
}

test("a player signs in with the code from the mail, in the organization's language", async ({ page }) => {
  const email = await norwegianPlayer();
  await page.goto("/player/");
  await page.locator("input[name=email]").fill(email);
  await page.locator("button[type=submit]").click();
  await expect(page.locator("input[name=code]")).toBeVisible();

  const mail = await mailbox.next(email);
  expect(mail.subject).toBe("Din innloggingskode");
  const code = /\b(\d{6})\b/.exec(mail.text ?? "")?.[1];
  expect(code, mail.text).toBeTruthy();

  await page.locator("input[name=code]").fill(code!);
  await page.locator("button[type=submit]").click();
  await expect(page.locator(".top .brand")).toContainText("Kodeklubben");

  // "Sign out everywhere" ends this session too: back to sign-in.
  await page.getByRole("button", { name: /Logg ut overalt|Sign out everywhere/ }).click();
  await expect(page.locator("input[name=email]")).toBeVisible();
});
