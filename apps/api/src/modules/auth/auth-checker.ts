import { isPermission } from "@laurel/engine";
import type { AuthChecker } from "type-graphql";
import type { Context } from "../../context.js";
import { Forbidden, Unauthenticated } from "../../errors.js";

/**
 * The one place permissions are checked. `@Authorized()` needs a caller; `@Authorized("a", "b")`
 * needs a caller holding any one of them. Which rows a caller may touch is the services' concern.
 */
export const authChecker: AuthChecker<Context> = ({ context }, permissions) => {
  const viewer = context.viewer;
  if (!viewer) throw new Unauthenticated();
  if (permissions.length === 0) return true;
  if (permissions.some((p) => isPermission(p) && viewer.permissions.has(p))) return true;
  throw new Forbidden(`This needs the permission ${permissions.join(" or ")}`, permissions.join(" | "));
};
