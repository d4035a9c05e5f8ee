import { type Column, eq, isNull, or, type SQL } from "drizzle-orm";
import type { Context } from "../context.js";
import { Forbidden, invalid, Unauthenticated } from "../errors.js";
import { isGlobalAdmin, type UserViewer, type Viewer } from "./viewer.js";

/**
 * Tenancy in one place. Every read and write is scoped to the viewer's organization;
 * Global Administrators see all, and alone may touch platform-wide rows (`organization_id` NULL).
 */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new Unauthenticated();
  return ctx.viewer;
}

export function requireUser(ctx: Context): UserViewer {
  const viewer = requireViewer(ctx);
  if (viewer.kind !== "user") throw new Forbidden("This needs a signed-in user, not an API key");
  return viewer;
}

/** A filter on a tenant column: rows of the viewer's organization, or every row for a Global Administrator. */
export function ownRows(ctx: Context, column: Column): SQL | undefined {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) return undefined;
  if (!viewer.organizationId) return isNull(column); // unreachable for non-global users; fails closed
  return eq(column, viewer.organizationId);
}

/** A filter for catalog tables with platform rows: the viewer's organization's rows and the platform's. */
export function visibleRows(ctx: Context, column: Column): SQL | undefined {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) return undefined;
  return viewer.organizationId ? or(isNull(column), eq(column, viewer.organizationId)) : isNull(column);
}

/** True when the viewer may read a row of this organization (NULL: a platform row). */
export function canSee(ctx: Context, organizationId: string | null, platformVisible = false): boolean {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) return true;
  if (organizationId === null) return platformVisible;
  return viewer.organizationId === organizationId;
}

/** Refuses a write to a row of another organization, or to a platform row by anyone but a Global Administrator. */
export function assertCanWrite(ctx: Context, organizationId: string | null, what: string): void {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) return;
  if (organizationId === null) {
    throw new Forbidden(`Platform-wide ${what} may only be changed by a Global Administrator`);
  }
  if (viewer.organizationId !== organizationId)
    throw new Forbidden(`This ${what} belongs to another organization`);
}

/**
 * The organization a new row goes into. An organization's members write into their own; a Global
 * Administrator names one, or none for a platform-wide row when `platformAllowed`.
 */
export function targetOrganization(
  ctx: Context,
  requested: string | null | undefined,
  options: { platformAllowed: boolean },
): string | null {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) {
    if (requested) return requested;
    if (options.platformAllowed) return null;
    throw invalid("organizationId", "required", "organizationId is required");
  }
  if (requested && requested !== viewer.organizationId) {
    throw new Forbidden("You can only create rows in your own organization");
  }
  if (!viewer.organizationId) throw new Forbidden("You belong to no organization");
  return viewer.organizationId;
}
