import { expect, test } from "@playwright/test";
import { gql, ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

test("an organization admin sees a platform-wide achievement without edit controls, and the API refuses", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "platform");
  const key = `platform_${Date.now().toString(36)}`;
  const made = await ok<{ createAchievement: { id: string; isPlatform: boolean } }>(
    request,
    `mutation($key: String!) { createAchievement(key: $key, name: "Laurel Veteran", description: "A badge of the whole platform",
      category: special, triggerType: manual) { id isPlatform } }`,
    { key },
    { token: tenant.root },
  );
  expect(made.createAchievement.isPlatform).toBe(true);

  await signIn(page, tenant.admin.email, tenant.admin.password!);
  await openMenu(page, "Achievements");
  const row = page.getByRole("row").filter({ hasText: key });
  await expect(row).toBeVisible();
  await expect(row.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await row.getByRole("cell", { name: "Laurel Veteran" }).click();
  await expect(page).toHaveURL(/\/Achievement\/[^/]+\/show/);
  await expect(page.getByText("A badge of the whole platform")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Backfill" })).toHaveCount(0);

  const refused = await gql(
    request,
    `mutation($id: ID!) { updateAchievement(id: $id, name: "Mine now") { id } }`,
    { id: made.createAchievement.id },
    { token: tenant.admin.token },
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
});

test("a role without create:achievementDefinitions sees no Create button, and the API refuses", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "editor");
  const role = await ok<{ createRole: { id: string } }>(
    request,
    `mutation { createRole(key: "badge_editor", name: "Badge editor",
      permissions: ["read:progress", "update:achievementDefinitions"]) { id } }`,
    {},
    { token: tenant.admin.token },
  );
  const editor = await tenant.createUser(role.createRole.id, "Badge Editor", "badge editor password");
  await signIn(page, editor.email, editor.password!);

  await openMenu(page, "Achievements");
  await expect(
    page.getByText(/No Achievements yet|No results found/i).or(page.getByRole("table")),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Create" })).toHaveCount(0);
  await openMenu(page, "Achievement Rules");
  await expect(page.getByRole("link", { name: "Create" })).toHaveCount(0);

  const token = (
    await ok<{ login: { token: string } }>(
      request,
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      { email: editor.email, password: editor.password },
    )
  ).login.token;
  const refused = await gql(
    request,
    `mutation { createAchievement(key: "sneaky", name: "Sneaky", description: "Not allowed",
      category: special, triggerType: manual) { id } }`,
    {},
    { token },
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
});
