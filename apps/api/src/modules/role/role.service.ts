import { schema } from "@laurel/db";
import { isPermission } from "@laurel/engine";
import { and, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { machineKey } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { getRole, type RoleRow } from "../../lib/directory.js";
import { assertNoEscalation } from "../../lib/permissions.js";
import { assertCanWrite, targetOrganization, visibleRows } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import type { CreateRoleArgs, RoleFilter, UpdateRoleArgs } from "./role.input.js";
import { textLimit } from "../../lib/limits.js";

const { roles } = schema;

const sortable = { id: roles.id, key: roles.key, name: roles.name, createdAt: roles.createdAt };

const permissionList = z.array(
  z.string().refine(isPermission, { message: "Unknown permission", params: { rule: "permission_known" } }),
);
const createSchema = z.object({
  key: machineKey(),
  name: nonEmptyText("name", "name_not_empty"),
  description: z.string().max(textLimit("description")).optional(),
  permissions: permissionList,
  isParticipant: z.boolean().default(false),
});
const updateSchema = createSchema.omit({ key: true }).partial();

function whereOf(ctx: Context, filter: RoleFilter = {}): SQL | undefined {
  return and(
    visibleRows(ctx, roles.organizationId),
    filter.q ? or(ilike(roles.name, `%${filter.q}%`), ilike(roles.key, `%${filter.q}%`)) : undefined,
    filter.id ? eq(roles.id, filter.id) : undefined,
    filter.ids ? inArray(roles.id, filter.ids) : undefined,
    filter.organizationId ? eq(roles.organizationId, filter.organizationId) : undefined,
    filter.isBuiltIn !== undefined && filter.isBuiltIn !== null
      ? eq(roles.isBuiltIn, filter.isBuiltIn)
      : undefined,
  );
}

export function listRoles(ctx: Context, args: ListArgs, filter?: RoleFilter) {
  return selectPage(ctx.db, roles, whereOf(ctx, filter), args, sortable, "name");
}

export function countRoles(ctx: Context, filter?: RoleFilter) {
  return countRows(ctx.db, roles, whereOf(ctx, filter));
}

export async function createRole(ctx: Context, args: CreateRoleArgs): Promise<RoleRow> {
  const input = parseInput(createSchema, args);
  assertNoEscalation(ctx, input.permissions);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  const [row] = await guarded(() =>
    ctx.db
      .insert(roles)
      .values({ ...input, permissions: [...new Set(input.permissions)], organizationId })
      .returning(),
  );
  return row!;
}

export async function updateRole(ctx: Context, args: UpdateRoleArgs): Promise<RoleRow> {
  const existing = await getRole(ctx, args.id);
  if (existing.isBuiltIn) throw new Forbidden("Built-in roles cannot be changed");
  assertCanWrite(ctx, existing.organizationId, "role");
  // Rewriting a role that holds more than you would strip (or reshape) the access of those above you.
  assertNoEscalation(ctx, existing.permissions, "id");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(updateSchema, definedOnly(changes)));
  if (input.permissions) assertNoEscalation(ctx, input.permissions);
  const [row] = await guarded(() =>
    ctx.db
      .update(roles)
      .set({ ...input, updatedAt: ctx.now })
      .where(eq(roles.id, existing.id))
      .returning(),
  );
  return row!;
}

export async function deleteRole(ctx: Context, id: string): Promise<RoleRow> {
  const existing = await getRole(ctx, id);
  if (existing.isBuiltIn) throw new Forbidden("Built-in roles cannot be deleted");
  assertCanWrite(ctx, existing.organizationId, "role");
  assertNoEscalation(ctx, existing.permissions, "id");
  await guarded(() => ctx.db.delete(roles).where(eq(roles.id, existing.id)));
  return existing;
}

export const roleService = {
  get: getRole,
  list: listRoles,
  count: countRoles,
  create: createRole,
  update: updateRole,
  remove: deleteRole,
};
