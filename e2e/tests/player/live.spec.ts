import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  achievementOn,
  codeToken,
  DEMO,
  gameServer,
  gql,
  liveSocket,
  novaAdminToken,
  signInInApp,
  untilSubscribed,
} from "./api.js";

test.use({ viewport: { width: 390, height: 844 } });

test("the player app shows the unlock dialog for an award the game server's event caused while it is open", async ({
  page,
}) => {
  const suffix = randomBytes(4).toString("hex");
  const admin = await novaAdminToken();
  // A probe that moves progress and never completes, and the badge the game server's event unlocks.
  const probe = `e2e_probe_${suffix}`;
  const live = `e2e_live_${suffix}`;
  const name = `Live unlock ${suffix}`;
  await achievementOn(admin, probe, `Probe ${suffix}`, 100, 0);
  await achievementOn(admin, live, name, 1, 25);
  const { createApiKey } = await gql(
    `mutation { createApiKey(name: "e2e game server") { secret } }`,
    {},
    admin,
  );
  const report = gameServer(createApiKey.secret);
  const { me } = await gql(`{ me { id } }`, {}, await codeToken(DEMO.players.zoe));

  const socket = liveSocket(page);
  await signInInApp(page, DEMO.players.zoe);
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await untilSubscribed(socket, (attempt) => report(me.id, probe, `probe-${suffix}-${attempt}`));

  // The game server reports the event that unlocks the badge; nobody touches the page.
  await report(me.id, live, `unlock-${suffix}`);
  const dialog = page.getByTestId("unlock-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Badge unlocked!");
  await expect(dialog).toContainText(name);
  await expect(dialog).toContainText("+25 points");
  await dialog.getByRole("button").click();
  await expect(dialog).toHaveCount(0);
  // The catalog behind it was read again: the badge shows as earned, and the page never reloaded.
  await expect(page.locator(`[data-testid=badge-card][data-key="${live}"]`)).toHaveAttribute(
    "data-state",
    "EARNED",
  );
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});
