import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { NotFound } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { currency, locale, moduleId, slug, timeZone } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, canSee, ownRows } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import type {
  CreateOrganizationArgs,
  OrganizationFilter,
  UpdateOrganizationArgs,
} from "./organization.input.js";

const { organizations } = schema;
export type OrganizationRow = typeof organizations.$inferSelect;

const sortable = {
  id: organizations.id,
  name: organizations.name,
  slug: organizations.slug,
  createdAt: organizations.createdAt,
  updatedAt: organizations.updatedAt,
};

const fields = {
  name: nonEmptyText("name", "name_not_empty"),
  slug,
  modules: z
    .array(moduleId)
    .max(50)
    .transform((m) => [...new Set(m)]),
  timeZone,
  currency,
  locale,
};
const createSchema = z.object({
  ...fields,
  modules: fields.modules.default([]),
  timeZone: fields.timeZone.default("UTC"),
  currency: fields.currency.default("NOK"),
  locale: fields.locale.default("en"),
});
const updateSchema = z.object(fields).partial();

function whereOf(ctx: Context, filter: OrganizationFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, organizations.id),
    filter.q
      ? or(ilike(organizations.name, `%${filter.q}%`), ilike(organizations.slug, `%${filter.q}%`))
      : undefined,
    filter.id ? eq(organizations.id, filter.id) : undefined,
    filter.ids ? inArray(organizations.id, filter.ids) : undefined,
    filter.module ? sql`${filter.module} = any(${organizations.modules})` : undefined,
  );
}

export function listOrganizations(ctx: Context, args: ListArgs, filter?: OrganizationFilter) {
  return selectPage(ctx.db, organizations, whereOf(ctx, filter), args, sortable, "name");
}

export function countOrganizations(ctx: Context, filter?: OrganizationFilter) {
  return countRows(ctx.db, organizations, whereOf(ctx, filter));
}

/** An organization the viewer may see; any other id is "not found", so ids of other tenants leak nothing. */
export async function getOrganization(ctx: Context, id: string): Promise<OrganizationRow> {
  const row = await ctx.loaders.organization.load(id);
  if (!row || !canSee(ctx, row.id)) throw new NotFound("Organization", id);
  return row;
}

export async function createOrganization(
  ctx: Context,
  args: CreateOrganizationArgs,
): Promise<OrganizationRow> {
  const input = parseInput(createSchema, args);
  const [row] = await guarded(() => ctx.db.insert(organizations).values(input).returning());
  return row!;
}

export async function updateOrganization(
  ctx: Context,
  args: UpdateOrganizationArgs,
): Promise<OrganizationRow> {
  const existing = await getOrganization(ctx, args.id);
  assertCanWrite(ctx, existing.id, "organization");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(updateSchema, definedOnly(changes)));
  if (Object.keys(input).length === 0) return existing;
  const [row] = await guarded(() =>
    ctx.db
      .update(organizations)
      .set({ ...input, updatedAt: ctx.now })
      .where(eq(organizations.id, existing.id))
      .returning(),
  );
  return row!;
}

export async function deleteOrganization(ctx: Context, id: string): Promise<OrganizationRow> {
  const existing = await getOrganization(ctx, id);
  await ctx.db.delete(organizations).where(eq(organizations.id, existing.id));
  return existing;
}

export const organizationService = {
  get: getOrganization,
  list: listOrganizations,
  count: countOrganizations,
  create: createOrganization,
  update: updateOrganization,
  remove: deleteOrganization,
};
