import type { Permission } from "@laurel/engine";

/** Who is calling: a signed-in user, or a tenant's backend with an API key. */
export type Viewer =
  | {
      kind: "user";
      userId: string;
      organizationId: string | null;
      roleId: string;
      roleKey: string;
      permissions: ReadonlySet<Permission>;
      isParticipant: boolean;
    }
  | {
      kind: "apiKey";
      apiKeyId: string;
      organizationId: string;
      permissions: ReadonlySet<Permission>;
    };

export type UserViewer = Extract<Viewer, { kind: "user" }>;

/** Global Administrators see every tenant and alone may touch platform-wide rows. */
export function isGlobalAdmin(viewer: Viewer | null): boolean {
  return viewer?.kind === "user" && viewer.permissions.has("manage:platform");
}

export function can(viewer: Viewer | null, permission: Permission): boolean {
  return viewer !== null && viewer.permissions.has(permission);
}
