import { fileURLToPath } from "node:url";

/** The committed migrations, at the workspace root (its own module: the template builder needs it, not the migrator). */
export const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));
