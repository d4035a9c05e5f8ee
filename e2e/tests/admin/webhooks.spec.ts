import { expect, test, type Page } from "@playwright/test";
import { type Receiver, signedBy, startReceiver } from "../../support/receiver.js";
import { screenshot } from "../../support/screenshots.js";
import { gql, login, ok, openMenu, setUpTenant, signIn } from "./fixtures.js";

let receiver: Receiver;
let receiverUrl: string;
test.beforeEach(async () => {
  receiver = await startReceiver();
  receiver.answer(() => ({ status: 200, body: "thanks" }));
  receiverUrl = receiver.url("/laurel-hooks");
});
test.afterEach(async () => {
  await receiver.close();
});

const ENDPOINT = `query($id: ID!) { WebhookEndpoint(id: $id) { secret enabled disabledReason } }`;

/** The id in the address of the page showing an endpoint or a delivery. */
const idInUrl = (page: Page) =>
  decodeURIComponent(/\/(?:WebhookEndpoint|WebhookDelivery)\/([^/]+)\/show/.exec(page.url())![1]!);

test("an admin creates a webhook endpoint, sees its secret once, sends a test event, sees it delivered and replays it", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "webhooks");
  await signIn(page, tenant.admin.email, tenant.admin.password!);

  await openMenu(page, "Webhooks");
  await page.getByRole("link", { name: "Create" }).click();
  await page.getByLabel(/^URL/).fill(receiverUrl);
  await page.getByRole("checkbox", { name: "achievement.earned" }).check();
  await page.getByRole("checkbox", { name: "reward.granted" }).check();
  await page.getByLabel(/^Description/).fill("The game server's item grants");
  await page.getByRole("button", { name: "Save" }).click();

  // The secret, once.
  const dialog = page.getByRole("dialog", { name: "Webhook endpoint created" });
  await expect(dialog.getByText("you will not see it again")).toBeVisible();
  const secret = await dialog.getByTestId("webhook-secret").inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(page).toHaveURL(/\/WebhookEndpoint\/[^/]+\/show/);
  const endpointId = idInUrl(page);
  await expect(page.getByText("achievement.earned")).toBeVisible();
  await expect(page.getByText("Enabled", { exact: true })).toBeVisible();
  const readBack = await ok<{ WebhookEndpoint: { secret: string | null } }>(
    request,
    ENDPOINT,
    { id: endpointId },
    { token: tenant.admin.token },
  );
  expect(readBack.WebhookEndpoint.secret).toBeNull();

  // A test event, watched until the receiver has it.
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page).toHaveURL(/\/WebhookDelivery\/[^/]+\/show/);
  await expect(page.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect(page.getByTestId("delivery-payload")).toContainText('"webhook.test"');
  expect(receiver.received).toHaveLength(1);
  const first = receiver.received[0]!;
  expect(JSON.parse(first.body)).toMatchObject({ type: "webhook.test" });
  // Signed with the secret the dialog showed.
  expect(signedBy(secret, first)).toBe(true);

  await page.getByRole("link", { name: receiverUrl }).click();
  await expect(page.getByTestId("delivery-stats")).toContainText("1 delivered");

  // A rotation shows the new secret once; during the overlap each delivery is signed with both.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate", exact: true }).click();
  const rotated = page.getByRole("dialog", { name: "New signing secret" });
  await expect(rotated.getByText(/^The previous secret also signs until /)).toBeVisible();
  const newSecret = await rotated.getByTestId("webhook-secret").inputValue();
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(secret);
  await rotated.getByRole("button", { name: "I have copied it" }).click();
  await expect(rotated).toBeHidden();

  // The endpoint's log shows the test event delivered; replayed, the receiver gets it again with the same
  // webhook-id.
  await page.getByRole("tab", { name: "Deliveries" }).click();
  const row = page.getByRole("row").filter({ hasText: "webhook.test" });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect(row).toContainText("200 thanks");
  await row.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Delivery queued again")).toBeVisible();
  await expect.poll(() => receiver.received.length).toBe(2);
  expect(receiver.received[1]!.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
  expect(receiver.received[1]!.body).toBe(first.body);
  expect(signedBy(newSecret, receiver.received[1]!)).toBe(true);
  expect(signedBy(secret, receiver.received[1]!)).toBe(true);
  await expect(row.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect(page.getByText("Delivery queued again")).toBeHidden();
  await page.screenshot({ path: screenshot("admin-webhook-deliveries.png") });
});

test("a receiver that answers 410 Gone disables its endpoint; enabled again, the failed delivery is replayed", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "webhooks-gone");
  const made = await ok<{ createWebhookEndpoint: { id: string } }>(
    request,
    `mutation($url: String!) { createWebhookEndpoint(url: $url, eventTypes: ["achievement.earned"]) { id } }`,
    { url: receiverUrl },
    { token: tenant.admin.token },
  );
  receiver.answer(() => ({ status: 410, body: "gone for good" }));
  await signIn(page, tenant.admin.email, tenant.admin.password!);
  await openMenu(page, "Webhooks");
  await page.getByRole("cell", { name: receiverUrl }).click();

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("delivery-status")).toHaveText("Failed");
  await expect(page.getByText("410 gone for good")).toBeVisible();
  await page.getByRole("link", { name: receiverUrl }).click();
  await expect(page.getByText("Disabled: the receiver answered 410 Gone")).toBeVisible();

  // The receiver is back; the admin turns the endpoint on and replays what failed in the last day.
  receiver.answer(() => ({ status: 200, body: "thanks" }));
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(
    page.getByText("Disabled: the receiver answered 410 Gone. Turn it on to deliver again."),
  ).toBeVisible();
  await page.getByLabel("Enabled").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Enabled", { exact: true })).toBeVisible();
  const enabled = await ok<{ WebhookEndpoint: { enabled: boolean; disabledReason: string | null } }>(
    request,
    ENDPOINT,
    { id: made.createWebhookEndpoint.id },
    { token: tenant.admin.token },
  );
  expect(enabled.WebhookEndpoint).toMatchObject({ enabled: true, disabledReason: null });

  await page.getByRole("tab", { name: "Deliveries" }).click();
  await page.getByRole("button", { name: "Replay failed since…" }).click();
  await expect(page.getByLabel("Since")).not.toHaveValue("");
  await page.getByRole("dialog").getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("1 failed delivery queued again")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "webhook.test" });
  await expect(row.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect.poll(() => receiver.received.length).toBe(2);
  expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
});

test("an admin without manage:webhooks sees no Webhooks in the menu, and the API refuses", async ({
  page,
  request,
}) => {
  const tenant = await setUpTenant(request, "no-webhooks");
  const role = await ok<{ createRole: { id: string } }>(
    request,
    `mutation { createRole(key: "coordinator_nohooks", name: "Coordinator", permissions: ["read:progress"]) { id } }`,
    {},
    { token: tenant.admin.token },
  );
  const coordinator = await tenant.createUser(role.createRole.id, "Coordinator", "coordinator password");
  await signIn(page, coordinator.email, coordinator.password!);
  await expect(page.getByRole("menuitem", { name: "Users", exact: true })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Webhooks", exact: true })).toHaveCount(0);

  const token = await login(request, coordinator.email, coordinator.password!);
  const refused = await gql(request, `{ allWebhookEndpoints { id } }`, {}, { token });
  expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
});
