import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { NotFound } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { machineKey } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, canSee, ownRows, targetOrganization } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import type {
  ActivityTypeFilter,
  CreateActivityTypeArgs,
  UpdateActivityTypeArgs,
} from "./activity-type.input.js";
import { textLimit } from "../../lib/limits.js";

const { activityTypes } = schema;
export type ActivityTypeRow = typeof activityTypes.$inferSelect;

const sortable = {
  id: activityTypes.id,
  slug: activityTypes.slug,
  name: activityTypes.name,
  sortOrder: activityTypes.sortOrder,
  createdAt: activityTypes.createdAt,
};

const createSchema = z.object({
  slug: machineKey("slug_format"),
  name: nonEmptyText("name", "name_not_empty"),
  description: z.string().max(textLimit("description")).optional(),
  isActive: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(100_000).default(0),
});
const updateSchema = createSchema.omit({ slug: true }).partial();

function whereOf(ctx: Context, filter: ActivityTypeFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, activityTypes.organizationId),
    filter.q
      ? or(ilike(activityTypes.name, `%${filter.q}%`), ilike(activityTypes.slug, `%${filter.q}%`))
      : undefined,
    filter.id ? eq(activityTypes.id, filter.id) : undefined,
    filter.ids ? inArray(activityTypes.id, filter.ids) : undefined,
    filter.organizationId ? eq(activityTypes.organizationId, filter.organizationId) : undefined,
    filter.isActive !== undefined && filter.isActive !== null
      ? eq(activityTypes.isActive, filter.isActive)
      : undefined,
  );
}

export function listActivityTypes(ctx: Context, args: ListArgs, filter?: ActivityTypeFilter) {
  return selectPage(ctx.db, activityTypes, whereOf(ctx, filter), args, sortable, "sortOrder");
}

export function countActivityTypes(ctx: Context, filter?: ActivityTypeFilter) {
  return countRows(ctx.db, activityTypes, whereOf(ctx, filter));
}

export async function getActivityType(ctx: Context, id: string): Promise<ActivityTypeRow> {
  const row = await ctx.loaders.activityType.load(id);
  if (!row || !canSee(ctx, row.organizationId)) throw new NotFound("ActivityType", id);
  return row;
}

export async function createActivityType(
  ctx: Context,
  args: CreateActivityTypeArgs,
): Promise<ActivityTypeRow> {
  const input = parseInput(createSchema, args);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: false })!;
  const [row] = await guarded(() =>
    ctx.db
      .insert(activityTypes)
      .values({ ...input, organizationId })
      .returning(),
  );
  return row!;
}

export async function updateActivityType(
  ctx: Context,
  args: UpdateActivityTypeArgs,
): Promise<ActivityTypeRow> {
  const existing = await getActivityType(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "activity type");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(updateSchema, definedOnly(changes)));
  const [row] = await guarded(() =>
    ctx.db
      .update(activityTypes)
      .set({ ...input, updatedAt: ctx.now })
      .where(eq(activityTypes.id, existing.id))
      .returning(),
  );
  return row!;
}

export async function deleteActivityType(ctx: Context, id: string): Promise<ActivityTypeRow> {
  const existing = await getActivityType(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "activity type");
  await guarded(() => ctx.db.delete(activityTypes).where(eq(activityTypes.id, existing.id)));
  return existing;
}

export const activityTypeService = {
  get: getActivityType,
  list: listActivityTypes,
  count: countActivityTypes,
  create: createActivityType,
  update: updateActivityType,
  remove: deleteActivityType,
};
