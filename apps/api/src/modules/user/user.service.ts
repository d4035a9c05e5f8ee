import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden, invalid } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { email, locale, password } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, ownRows, requireUser, targetOrganization } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import { hashPassword } from "../../lib/password.js";
import { can } from "../../lib/viewer.js";
import { getRole, getUser, type UserRow } from "../../lib/directory.js";
import { assertNoEscalation } from "../../lib/permissions.js";
import type { CreateUserArgs, UpdateUserArgs, UserFilter } from "./user.input.js";

const { users } = schema;

const sortable = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
};

const createSchema = z.object({
  email,
  displayName: nonEmptyText("displayName", "display_name_not_empty"),
  password: password.optional(),
  locale: locale.optional(),
  isActive: z.boolean().default(true),
});
const updateSchema = createSchema.partial();

/**
 * The change that ends every token a user holds: their token version moves on, and tokens carrying the
 * old one are refused (context.ts). Used wherever a password, a role or access changes.
 */
export function endSessions() {
  return { tokenVersion: sql`${users.tokenVersion} + 1` };
}

/** Whether an update takes something from the user or their old credentials: then their tokens end. */
function endsSessions(
  existing: UserRow,
  changes: { password?: string; roleId?: string; isActive?: boolean },
) {
  return (
    changes.password !== undefined ||
    (changes.roleId !== undefined && changes.roleId !== existing.roleId) ||
    (changes.isActive !== undefined && changes.isActive !== existing.isActive)
  );
}

function whereOf(ctx: Context, filter: UserFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, users.organizationId),
    filter.q ? or(ilike(users.email, `%${filter.q}%`), ilike(users.displayName, `%${filter.q}%`)) : undefined,
    filter.id ? eq(users.id, filter.id) : undefined,
    filter.ids ? inArray(users.id, filter.ids) : undefined,
    filter.organizationId ? eq(users.organizationId, filter.organizationId) : undefined,
    filter.roleId ? eq(users.roleId, filter.roleId) : undefined,
    filter.isActive !== undefined && filter.isActive !== null
      ? eq(users.isActive, filter.isActive)
      : undefined,
  );
}

export function listUsers(ctx: Context, args: ListArgs, filter?: UserFilter) {
  return selectPage(ctx.db, users, whereOf(ctx, filter), args, sortable, "displayName");
}

export function countUsers(ctx: Context, filter?: UserFilter) {
  return countRows(ctx.db, users, whereOf(ctx, filter));
}

/**
 * A role the viewer may give to a user of `organizationId`: the platform's or that organization's own,
 * holding nothing the viewer does not hold. Only a role with `manage:platform` may have no organization.
 */
async function assignableRole(ctx: Context, roleId: string, organizationId: string | null) {
  const role = await getRole(ctx, roleId).catch(() => {
    throw invalid("roleId", "role_exists", "No such role");
  });
  if (role.organizationId !== null && role.organizationId !== organizationId) {
    throw invalid("roleId", "role_in_organization", "The role belongs to another organization");
  }
  assertNoEscalation(ctx, role.permissions, "roleId");
  if (organizationId === null && !role.permissions.includes("manage:platform")) {
    throw invalid("organizationId", "required", "Only a Global Administrator may belong to no organization");
  }
  return role;
}

export async function createUser(ctx: Context, args: CreateUserArgs): Promise<UserRow> {
  const input = parseInput(createSchema, args);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  await assignableRole(ctx, args.roleId, organizationId);
  const { password: plain, ...rest } = input;
  const [row] = await guarded(async () =>
    ctx.db
      .insert(users)
      .values({
        ...rest,
        organizationId,
        roleId: args.roleId,
        passwordHash: plain ? await hashPassword(plain) : null,
      })
      .returning(),
  );
  return row!;
}

export async function updateUser(ctx: Context, args: UpdateUserArgs): Promise<UserRow> {
  const existing = await getUser(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "user");
  const viewer = requireUser(ctx);
  const { id: _id, roleId, ...changes } = args;
  const input = definedOnly(parseInput(updateSchema, definedOnly(changes)));
  if (existing.id === viewer.userId && (input.isActive === false || (roleId && roleId !== existing.roleId))) {
    throw new Forbidden("You cannot deactivate yourself or change your own role");
  }
  // Changing someone who holds more than you would let you take over their account.
  const current = await getRole(ctx, existing.roleId);
  if (existing.id !== viewer.userId) assertNoEscalation(ctx, current.permissions, "id");
  if (roleId) await assignableRole(ctx, roleId, existing.organizationId);
  const { password: plain, ...rest } = input;
  const [row] = await guarded(async () =>
    ctx.db
      .update(users)
      .set({
        ...rest,
        ...(roleId ? { roleId } : {}),
        ...(plain ? { passwordHash: await hashPassword(plain) } : {}),
        ...(endsSessions(existing, { password: plain, roleId, isActive: input.isActive })
          ? endSessions()
          : {}),
        updatedAt: ctx.now,
      })
      .where(eq(users.id, existing.id))
      .returning(),
  );
  return row!;
}

/**
 * Ends every session of a user: the viewer's own, or (with manage:users) a user of their tenant who holds
 * nothing more than they do.
 */
export async function signOutEverywhere(ctx: Context, userId?: string | null): Promise<boolean> {
  const viewer = requireUser(ctx);
  const target = userId ?? viewer.userId;
  if (target !== viewer.userId) {
    if (!can(viewer, "manage:users"))
      throw new Forbidden("Signing out another user needs manage:users", "manage:users");
    const existing = await getUser(ctx, target);
    assertCanWrite(ctx, existing.organizationId, "user");
    assertNoEscalation(ctx, (await getRole(ctx, existing.roleId)).permissions, "userId");
  }
  await ctx.db
    .update(users)
    .set({ ...endSessions(), updatedAt: ctx.now })
    .where(eq(users.id, target));
  return true;
}

/** The signed-in person turns their emails about awards and Wrapped off or on. */
export async function updateMyEmailPreferences(ctx: Context, emailOptOut: boolean): Promise<UserRow> {
  const viewer = requireUser(ctx);
  const [row] = await ctx.db
    .update(users)
    .set({ emailOptOut, updatedAt: ctx.now })
    .where(eq(users.id, viewer.userId))
    .returning();
  return row!;
}

export async function deleteUser(ctx: Context, id: string): Promise<UserRow> {
  const existing = await getUser(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "user");
  if (existing.id === requireUser(ctx).userId) throw new Forbidden("You cannot delete yourself");
  const role = await getRole(ctx, existing.roleId);
  assertNoEscalation(ctx, role.permissions, "id");
  await ctx.db.delete(users).where(eq(users.id, existing.id));
  return existing;
}

export const userService = {
  get: getUser,
  list: listUsers,
  count: countUsers,
  create: createUser,
  update: updateUser,
  remove: deleteUser,
};
