import { usePermissions } from "react-admin";
import type { Permissions } from "../providers/authProvider";

/** The signed-in admin's permissions; buttons and menus ask this, and the API checks again. */
export function useCan() {
  const { permissions, isPending } = usePermissions<Permissions>();
  const can = (permission: string) => !!permissions?.permissions.includes(permission);
  return {
    isPending,
    can,
    isGlobalAdmin: !!permissions?.isGlobalAdmin,
    organizationId: permissions?.organizationId ?? null,
    /** Platform-wide rows (organizationId null) are read-only to anyone but a Global Administrator. */
    canWriteRow: (permission: string, row?: { organizationId?: string | null }) =>
      can(permission) && (!!permissions?.isGlobalAdmin || (row?.organizationId ?? null) !== null),
  };
}
