import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { DEMO, adminToken, gql, signInInApp } from "./api.js";

test.use({ viewport: { width: 390, height: 844 } });

test("a description written in the admin's rich-text editor shows formatted, with nothing that runs", async ({
  page,
}) => {
  // What the editor writes, and what an attacker with the editor's rights could write instead.
  const description =
    '<p>hi</p><p>Two <strong>bold</strong> words and <a href="javascript:window.__xss=3">a link</a></p>' +
    '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><iframe src="/player/"></iframe>';
  const suffix = randomBytes(4).toString("hex");
  const key = `e2e_rich_${suffix}`;
  await gql(
    `mutation($key: String!, $name: String!, $description: String!) {
      createAchievement(key: $key, name: $name, description: $description,
        category: activity, triggerType: activity_count, triggerThreshold: 999, points: 5) { id } }`,
    { key, name: `Rik tekst ${suffix}`, description },
    await adminToken(),
  );
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await signInInApp(page, DEMO.mentors.sofie);
  await page.locator(`[data-testid=badge-card][data-key="${key}"]`).click();
  const shown = page.getByTestId("badge-detail").getByTestId("rich-text");

  // Formatted: a paragraph "hi", bold words, a link; never the markup as text.
  await expect(shown.locator("p").first()).toHaveText("hi");
  await expect(shown.locator("strong")).toHaveText("bold");
  await expect(shown.locator("a")).toHaveText("a link");
  await expect(shown).not.toContainText("<p>");
  // Nothing that runs or loads: no image with its handler, no script, no frame, no script link.
  await expect(shown.locator("img, script, iframe")).toHaveCount(0);
  expect(await shown.locator("a").getAttribute("href")).toBeNull();
  await expect(shown.locator("[onerror]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
