import { defineConfig } from "drizzle-kit";

// Migrations live at the workspace root (`drizzle/`) so both drivers and every app share one set.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../drizzle",
});
