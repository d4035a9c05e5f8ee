import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { currency, locale, moduleId, slug, timeZone } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { getOrganization, type OrganizationRow } from "../../lib/directory.js";
import { assertKnownModules } from "../../lib/platform.js";
import { assertCanWrite, ownRows, requireUser } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import { isGlobalAdmin } from "../../lib/viewer.js";
import { enqueueModuleBackfills } from "../../scoring/backfill.js";
import type {
  CreateOrganizationArgs,
  OrganizationFilter,
  UpdateOrganizationArgs,
} from "./organization.input.js";

const { organizations } = schema;

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
  emailAwards: z.boolean(),
  emailSummaries: z.boolean(),
};
const createSchema = z.object({
  ...fields,
  modules: fields.modules.default([]),
  timeZone: fields.timeZone.default("UTC"),
  currency: fields.currency.default("NOK"),
  locale: fields.locale.default("en"),
  emailAwards: fields.emailAwards.default(false),
  emailSummaries: fields.emailSummaries.default(false),
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

export async function createOrganization(
  ctx: Context,
  args: CreateOrganizationArgs,
): Promise<OrganizationRow> {
  const input = parseInput(createSchema, args);
  assertKnownModules(ctx, input.modules, "modules");
  const [row] = await guarded(() => ctx.db.insert(organizations).values(input).returning());
  return row!;
}

export async function updateOrganization(
  ctx: Context,
  args: UpdateOrganizationArgs,
): Promise<OrganizationRow> {
  const existing = await getOrganization(ctx, args.id);
  assertCanWrite(ctx, existing.id, "organization");
  const { id: _id, notifyOnBackfill, ...changes } = args;
  const input = definedOnly(parseInput(updateSchema, definedOnly(changes)));
  if (Object.keys(input).length === 0) return existing;
  // Modules are a licence: the same list sent back (as a form does) is no change; any change is the
  // platform's, and only to modules it offers (one it no longer offers may stay, not be added).
  const enabled = (input.modules ?? existing.modules).filter((m) => !existing.modules.includes(m));
  const disabled = existing.modules.filter((m) => !(input.modules ?? existing.modules).includes(m));
  if ((enabled.length > 0 || disabled.length > 0) && !isGlobalAdmin(requireUser(ctx))) {
    throw new Forbidden(
      "Only a Global Administrator may change an organization's modules",
      "manage:platform",
    );
  }
  assertKnownModules(ctx, enabled, "modules");
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await guarded(() =>
      tx
        .update(organizations)
        .set({ ...input, updatedAt: ctx.now })
        .where(eq(organizations.id, existing.id))
        .returning(),
    );
    // Members who already qualify for what the new modules open get it now, not at their next event.
    await enqueueModuleBackfills(tx, updated!, enabled, {
      now: ctx.now,
      requestedById: requireUser(ctx).userId,
      notifyUsers: notifyOnBackfill ?? false,
    });
    return updated!;
  });
  ctx.loaders.organization.clear(existing.id);
  if (enabled.length > 0) ctx.app.jobs.kick();
  return row;
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
