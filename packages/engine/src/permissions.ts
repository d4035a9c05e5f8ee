/** Every permission a role can hold. `manage:platform` makes a Global Administrator. */
export const PERMISSIONS = [
  "create:achievementDefinitions",
  "update:achievementDefinitions",
  "delete:achievementDefinitions",
  "create:achievementRules",
  "update:achievementRules",
  "delete:achievementRules",
  "create:consumables",
  "update:consumables",
  "delete:consumables",
  "create:metrics",
  "update:metrics",
  "delete:metrics",
  "read:progress",
  "grant:achievements",
  "manage:users",
  "manage:roles",
  "manage:organization",
  /** Create, rename and revoke the organization's API keys, each holding only its creator's permissions. */
  "manage:apiKeys",
  /** Register, change, rotate and delete the organization's webhook endpoints, and read and replay their deliveries. */
  "manage:webhooks",
  "ingest:events",
  /** Follow the organization's live events (the `organizationEvents` subscription): awards, progress, rewards. */
  "read:events",
  "log:activities",
  "manage:platform",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * Permissions an API key may carry: a tenant's backend reports events, reads progress and follows the
 * organization's live events, nothing more.
 */
export const API_KEY_PERMISSIONS = [
  "ingest:events",
  "read:progress",
  "read:events",
] as const satisfies readonly Permission[];

export type BuiltInRole = {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
  isParticipant: boolean;
};

const everythingButPlatform = PERMISSIONS.filter((p) => p !== "manage:platform");

/** The roles every installation has. They are platform-wide and cannot be changed by organizations. */
export const BUILT_IN_ROLES = [
  {
    key: "global_admin",
    name: "Global Administrator",
    description: "Runs the installation: every organization, platform-wide badges and metrics.",
    permissions: PERMISSIONS,
    isParticipant: false,
  },
  {
    key: "org_admin",
    name: "Organization Administrator",
    description: "Runs one organization: its badges, rules, rewards, metrics, users, roles and settings.",
    permissions: everythingButPlatform,
    isParticipant: false,
  },
  {
    key: "coordinator",
    name: "Coordinator",
    description: "Follows the peer mentors' progress and grants manual badges.",
    permissions: ["read:progress", "grant:achievements", "ingest:events"],
    isParticipant: false,
  },
  {
    key: "peer_mentor",
    name: "Peer Mentor",
    description: "Logs activities, earns badges and gets a yearly Wrapped.",
    permissions: ["log:activities"],
    isParticipant: true,
  },
  {
    key: "player",
    name: "Player",
    description: "A participant of a game or trading platform: earns achievements from reported events.",
    permissions: [],
    isParticipant: true,
  },
] as const satisfies readonly BuiltInRole[];

export type BuiltInRoleKey = (typeof BUILT_IN_ROLES)[number]["key"];
