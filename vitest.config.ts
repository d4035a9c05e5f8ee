import { defineConfig } from "vitest/config";

// One copy of graphql: type-graphql and the tests must share it ("another module or realm").
const alias = [{ find: /^graphql$/, replacement: "graphql/index.js" }];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/api/src/**/*.test.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // The API's suites, and the client package's, which run against the real API too.
          include: ["apps/api/test/**/*.test.ts", "packages/client/test/**/*.test.ts"],
          exclude: ["apps/api/test/postgres/**"],
          globalSetup: ["apps/api/test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: more workers only queue behind each other and PGlite's start-up.
          maxWorkers: 2,
          // After the unit tests when both run in one command.
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          // Several processes on one database: PostgreSQL only. Without DATABASE_URL it fails, never skips.
          name: "postgres",
          include: ["apps/api/test/postgres/**/*.test.ts"],
          globalSetup: ["apps/api/test/support/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
