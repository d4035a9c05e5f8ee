import { describe, expect, it } from "vitest";
import { API_KEY_PERMISSIONS, BUILT_IN_ROLES, isPermission, PERMISSIONS } from "./permissions.js";

const role = (key: string) => BUILT_IN_ROLES.find((r) => r.key === key)!;

describe("built-in roles", () => {
  it.each(BUILT_IN_ROLES.map((r) => [r.key, r] as const))("%s holds only known permissions", (_key, r) => {
    expect(r.permissions.every(isPermission)).toBe(true);
  });

  it("make only the Global Administrator a platform manager", () => {
    const platform = BUILT_IN_ROLES.filter((r) =>
      (r.permissions as readonly string[]).includes("manage:platform"),
    );
    expect(platform.map((r) => r.key)).toEqual(["global_admin"]);
    expect(role("global_admin").permissions).toEqual(PERMISSIONS);
  });

  it("give seed 001's achievement permissions to organization admins, not to coordinators", () => {
    expect(role("org_admin").permissions).toEqual(
      expect.arrayContaining(["create:achievementDefinitions", "update:achievementDefinitions"]),
    );
    expect(role("coordinator").permissions).not.toContain("create:achievementDefinitions");
  });

  it("let organization admins, not coordinators, manage API keys", () => {
    expect(role("org_admin").permissions).toContain("manage:apiKeys");
    expect(role("coordinator").permissions).not.toContain("manage:apiKeys");
  });

  it("let organization admins, not coordinators, manage webhooks", () => {
    expect(role("org_admin").permissions).toContain("manage:webhooks");
    expect(role("global_admin").permissions).toContain("manage:webhooks");
    expect(role("coordinator").permissions).not.toContain("manage:webhooks");
  });

  it("let organization admins, not coordinators or participants, follow the organization's events", () => {
    expect(role("org_admin").permissions).toContain("read:events");
    for (const key of ["coordinator", "peer_mentor", "player"])
      expect(role(key).permissions).not.toContain("read:events");
  });

  it("make peer mentors and players participants, and nobody else", () => {
    expect(BUILT_IN_ROLES.filter((r) => r.isParticipant).map((r) => r.key)).toEqual([
      "peer_mentor",
      "player",
    ]);
  });

  it("let API keys hold nothing administrative", () => {
    expect(API_KEY_PERMISSIONS).toEqual(["ingest:events", "read:progress", "read:events"]);
  });
});

describe("isPermission", () => {
  it.each([
    ["create:achievementDefinitions", true],
    ["manage:platform", true],
    ["create:everything", false],
    ["", false],
  ])("%s → %s", (value, expected) => {
    expect(isPermission(value)).toBe(expected);
  });
});
