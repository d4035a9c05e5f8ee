import { expect, test } from "@playwright/test";
import { FRESH_ADMIN } from "../../playwright.config.js";
import { ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

const MODULES = `query($id: ID!) { Organization(id: $id) { name modules } }`;

test("a Global Administrator enables an organization's module from the platform's list", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "modules");
  await signIn(page, FRESH_ADMIN.email, FRESH_ADMIN.password);
  await openMenu(page, "Organizations");
  await page.getByRole("cell", { name: tenant.organization.name }).click();
  const certification = page.getByRole("checkbox", { name: "Certification training" });
  await expect(certification).toBeEnabled();
  await expect(page.getByRole("checkbox", { name: "Achievements gamification" })).toBeChecked();
  await certification.check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect
    .poll(
      async () =>
        (
          await ok<{ Organization: { modules: string[] } }>(
            request,
            MODULES,
            { id: tenant.organization.id },
            { token: tenant.root },
          )
        ).Organization.modules,
    )
    .toEqual(["achievements-gamification", "certification-training"]);
});

test("an organization admin sees the modules but cannot change them, and still edits the rest", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "own-modules");
  await signIn(page, tenant.admin.email, tenant.admin.password!);
  await openMenu(page, "My organization");
  await expect(page.getByRole("checkbox", { name: "Achievements gamification" })).toBeDisabled();
  await expect(page.getByRole("checkbox", { name: "Certification training" })).toBeDisabled();
  await page.getByLabel(/Name/).fill("Renamed Arena");
  await page.getByRole("button", { name: "Save" }).click();
  await expect
    .poll(
      async () =>
        (
          await ok<{ Organization: { name: string; modules: string[] } }>(
            request,
            MODULES,
            { id: tenant.organization.id },
            { token: tenant.admin.token },
          )
        ).Organization,
    )
    .toEqual({ name: "Renamed Arena", modules: ["achievements-gamification"] });
});
