import { isHealthy } from "@laurel/db";
import type { AppServices } from "../../context.js";

export const VERSION = "0.1.0";

export async function health(app: AppServices) {
  const ok = await isHealthy(app.db);
  return {
    status: ok ? "ok" : "degraded",
    database: app.driver,
    // "unavailable" in production without a mail transport: participants cannot get codes.
    signInCodes: app.signInCodes.delivery,
    version: VERSION,
  };
}
