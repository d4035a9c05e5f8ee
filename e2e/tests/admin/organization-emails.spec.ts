import { expect, test } from "@playwright/test";
import { ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

const EMAILS = `query($id: ID!) { Organization(id: $id) { emailAwards emailSummaries } }`;

test("an organization admin turns on the emails its members get for awards and Wrapped", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "emails");
  await signIn(page, tenant.admin.email, tenant.admin.password!);
  await openMenu(page, "My organization");
  const awards = page.getByRole("switch", { name: "Email members their awards" });
  const summaries = page.getByRole("switch", { name: "Email members when their Wrapped is ready" });
  await expect(awards).not.toBeChecked();
  await expect(summaries).not.toBeChecked();
  await awards.check();
  await page.getByRole("button", { name: "Save" }).click();
  const settings = () =>
    ok<{ Organization: { emailAwards: boolean; emailSummaries: boolean } }>(
      request,
      EMAILS,
      { id: tenant.organization.id },
      { token: tenant.admin.token },
    ).then((d) => d.Organization);
  await expect.poll(settings).toEqual({ emailAwards: true, emailSummaries: false });
  await page.reload();
  await expect(page.getByRole("switch", { name: "Email members their awards" })).toBeChecked();
});
