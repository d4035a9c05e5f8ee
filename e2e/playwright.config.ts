import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// Debian's Chromium: Playwright's own browser download cannot reach the internet from here.
const chromium =
  process.env.LAUREL_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Two API servers on embedded databases: one with the demo data, one fresh with only a first admin. */
export const DEMO_URL = "http://127.0.0.1:4610";
export const FRESH_URL = "http://127.0.0.1:4620";
export const FRESH_ADMIN = { email: "root@laurel.test", password: "a fresh root password" };
/**
 * A third, fresh API with no development code, mailing sign-in codes by SMTP to the server the mail specs
 * start in their own process (tests/mail): the code a player types is the one in the mail.
 */
export const MAIL_URL = "http://127.0.0.1:4630";
export const MAIL_SMTP_PORT = 4635;

function api(port: number, env: Record<string, string>) {
  return {
    command: "pnpm --filter @laurel/api start",
    url: `http://127.0.0.1:${port}/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      LAUREL_DATA_DIR: mkdtempSync(join(tmpdir(), "laurel-e2e-")),
      LAUREL_DEV_LOGIN_CODE: "12345",
      LAUREL_SCHEDULER: "false",
      LAUREL_LOG_LEVEL: "warn",
      ...env,
    },
  };
}

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/results.json" }]] : "list",
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      // No sandbox as root; no background traffic, which this machine's closed network refuses anyway.
      args: [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // The playground and the player app, on the demo data.
    { name: "demo", testIgnore: ["admin/**", "mail/**"], use: { baseURL: DEMO_URL } },
    // Sign-in codes by mail, on a fresh database without the development code.
    { name: "mail", testMatch: ["mail/**/*.spec.ts"], use: { baseURL: MAIL_URL } },
    // The admin panel, on a fresh database: seed 001's walkthrough exactly as written.
    { name: "admin", testMatch: ["admin/**/*.spec.ts"], use: { baseURL: FRESH_URL } },
  ],
  webServer: [
    api(4610, { LAUREL_DEMO: "true" }),
    api(4620, {
      LAUREL_ADMIN_EMAIL: FRESH_ADMIN.email,
      LAUREL_ADMIN_PASSWORD: FRESH_ADMIN.password,
      // The webhook specs' receiver listens on 127.0.0.1, which the dispatcher refuses by default (SSRF).
      LAUREL_WEBHOOK_ALLOW_PRIVATE: "true",
    }),
    api(4630, {
      LAUREL_ADMIN_EMAIL: FRESH_ADMIN.email,
      LAUREL_ADMIN_PASSWORD: FRESH_ADMIN.password,
      LAUREL_DEV_LOGIN_CODE: "", // empty is unset: no development code here
      LAUREL_SMTP_URL: `smtp://127.0.0.1:${MAIL_SMTP_PORT}`,
      LAUREL_MAIL_FROM: "Laurel <no-reply@laurel.test>",
    }),
  ],
});
