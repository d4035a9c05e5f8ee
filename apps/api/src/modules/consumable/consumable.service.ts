import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { NotFound } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, canSee, targetOrganization, visibleRows } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import type { ConsumableFilter, CreateConsumableArgs, UpdateConsumableArgs } from "./consumable.input.js";
import { textLimit } from "../../lib/limits.js";

const { consumables } = schema;
export type ConsumableRow = typeof consumables.$inferSelect;

const sortable = {
  id: consumables.id,
  name: consumables.name,
  type: consumables.type,
  value: consumables.value,
  createdAt: consumables.createdAt,
};

const fields = {
  name: nonEmptyText("name", "name_not_empty"),
  type: z.enum(schema.consumableTypes),
  value: z.number().refine((v) => Number.isFinite(v) && v >= 0, {
    message: "value must be a number of at least 0",
    params: { rule: "value_non_negative" },
  }),
  description: z.string().max(textLimit("description")).optional(),
};

function whereOf(ctx: Context, filter: ConsumableFilter = {}): SQL | undefined {
  return and(
    visibleRows(ctx, consumables.organizationId),
    filter.q ? ilike(consumables.name, `%${filter.q}%`) : undefined,
    filter.id ? eq(consumables.id, filter.id) : undefined,
    filter.ids ? inArray(consumables.id, filter.ids) : undefined,
    filter.organizationId ? eq(consumables.organizationId, filter.organizationId) : undefined,
    filter.type ? eq(consumables.type, filter.type as ConsumableRow["type"]) : undefined,
  );
}

export async function getConsumable(ctx: Context, id: string): Promise<ConsumableRow> {
  const [row] = await ctx.db.select().from(consumables).where(eq(consumables.id, id));
  if (!row || !canSee(ctx, row.organizationId, true)) throw new NotFound("Consumable", id);
  return row;
}

async function createConsumable(ctx: Context, args: CreateConsumableArgs): Promise<ConsumableRow> {
  const input = parseInput(z.object(fields), args);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  const [row] = await guarded(() =>
    ctx.db
      .insert(consumables)
      .values({ ...input, organizationId })
      .returning(),
  );
  return row!;
}

async function updateConsumable(ctx: Context, args: UpdateConsumableArgs): Promise<ConsumableRow> {
  const existing = await getConsumable(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "consumable");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(z.object(fields).partial(), definedOnly(changes)));
  const [row] = await guarded(() =>
    ctx.db
      .update(consumables)
      .set({ ...input, updatedAt: ctx.now })
      .where(eq(consumables.id, existing.id))
      .returning(),
  );
  return row!;
}

async function deleteConsumable(ctx: Context, id: string): Promise<ConsumableRow> {
  const existing = await getConsumable(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "consumable");
  await guarded(() => ctx.db.delete(consumables).where(eq(consumables.id, existing.id)), {
    achievement_rewards_consumable_id_consumables_id_fk: {
      field: "id",
      rule: "in_use",
      message: "Achievements still grant this reward",
    },
  });
  return existing;
}

export const consumableService = {
  get: getConsumable,
  list: (ctx: Context, args: ListArgs, filter?: ConsumableFilter) =>
    selectPage(ctx.db, consumables, whereOf(ctx, filter), args, sortable, "name"),
  count: (ctx: Context, filter?: ConsumableFilter) => countRows(ctx.db, consumables, whereOf(ctx, filter)),
  create: createConsumable,
  update: updateConsumable,
  remove: deleteConsumable,
};
