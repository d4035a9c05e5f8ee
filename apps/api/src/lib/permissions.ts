import type { Permission } from "@laurel/engine";
import type { Context } from "../context.js";
import { invalid } from "../errors.js";
import { requireUser } from "./tenancy.js";
import { isGlobalAdmin } from "./viewer.js";

/**
 * Nobody acts beyond what they hold. The one rule for what a caller may give (a role's permissions, a
 * user's role, an API key's permissions) and may change or remove (a role, a user of a role): every
 * permission involved must be the caller's own. A Global Administrator holds them all.
 */
export function assertNoEscalation(
  ctx: Context,
  permissions: readonly string[],
  field = "permissions",
): void {
  const viewer = requireUser(ctx);
  if (isGlobalAdmin(viewer)) return;
  const beyond = permissions.filter((p) => !viewer.permissions.has(p as Permission));
  if (beyond.length > 0) {
    throw invalid(
      field,
      "permission_escalation",
      `This involves permissions you do not hold: ${beyond.join(", ")}`,
    );
  }
}
