import { schema } from "@laurel/db";
import { isBenefitCategory, localDate, yearRange } from "@laurel/engine";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden, type Issue, invalid, NotFound } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { getRole, getUser, tenantOf, type UserRow } from "../../lib/directory.js";
import { currency } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, canSee, ownRows, requireUser, targetOrganization } from "../../lib/tenancy.js";
import { currentYear, GAMIFICATION_MODULE, writeAdvantages } from "../../scoring/year-figures.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import type {
  AdvantageCalculationFilter,
  AdvantageParameterFilter,
  CreateAdvantageParameterArgs,
  UpdateAdvantageParameterArgs,
} from "./advantage.type.js";
import { textLimit } from "../../lib/limits.js";

const { advantageCalculations: calculations, advantageParameters: parameters, organizations } = schema;
export type CalculationRow = typeof calculations.$inferSelect;

/** Seed 004's warning: a breakdown item not of the documented shape (never blocking). */
export function calculationWarnings(row: CalculationRow): Issue[] {
  const items = row.advantageBreakdown ?? [];
  const bad = items.filter(
    (item) => !isBenefitCategory(item) || typeof item.quantity !== "number" || typeof item.value !== "number",
  );
  return bad.length > 0
    ? [
        {
          field: "advantageBreakdown",
          rule: "advantage_breakdown_schema",
          message: `${bad.length} breakdown items are not {key, label, basis, quantity, rate, value}`,
          severity: "warning",
        },
      ]
    : [];
}

export function yearOf(row: CalculationRow, timeZone: string): number {
  return localDate(row.periodStart, timeZone).year;
}

/** Seed 004: peer mentors only, org-scoped parameters; refreshed when stale or missing, for this user alone. */
export async function advantageFor(ctx: Context, user: UserRow, year: number): Promise<CalculationRow> {
  const role = await getRole(ctx, user.roleId);
  if (!role.isParticipant)
    throw new Forbidden("Advantage calculations are made for peer mentors only", "peer_mentor_only");
  const tenant = await tenantOf(ctx, user.organizationId);
  if (!tenant.modules.includes(GAMIFICATION_MODULE))
    throw new Forbidden(
      "The organization has the achievements-gamification module off",
      "module_toggle_gate",
    );
  const thisYear = currentYear(ctx.now, tenant.timeZone);
  if (!Number.isInteger(year) || year < 2000 || year > thisYear)
    throw invalid("year", "year_range_valid", `year must be from 2000 to ${thisYear}`);
  const { start, end } = yearRange(year, tenant.timeZone);
  const find = () =>
    ctx.db
      .select()
      .from(calculations)
      .where(
        and(
          eq(calculations.userId, user.id),
          eq(calculations.periodStart, start),
          eq(calculations.periodEnd, end),
        ),
      )
      .then((rows) => rows[0]);
  const existing = await find();
  if (!existing || existing.isStale)
    await ctx.db.transaction((tx) => writeAdvantages(tx, tenant, year, [user.id], ctx.now));
  return (await find())!;
}

export async function myAdvantage(ctx: Context, year: number) {
  return advantageFor(ctx, await getUser(ctx, requireUser(ctx).userId), year);
}

function calculationsWhere(ctx: Context, filter: AdvantageCalculationFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, calculations.organizationId),
    filter.userId ? eq(calculations.userId, filter.userId) : undefined,
    filter.organizationId ? eq(calculations.organizationId, filter.organizationId) : undefined,
    filter.ids ? inArray(calculations.id, filter.ids) : undefined,
  );
}

export const calculationList = {
  list: (ctx: Context, args: ListArgs, filter?: AdvantageCalculationFilter) =>
    selectPage(
      ctx.db,
      calculations,
      calculationsWhere(ctx, filter),
      { sortOrder: "DESC", ...args },
      {
        id: calculations.id,
        periodStart: calculations.periodStart,
        totalHours: calculations.totalHours,
        calculationDate: calculations.calculationDate,
      },
      "periodStart",
    ),
  count: (ctx: Context, filter?: AdvantageCalculationFilter) =>
    countRows(ctx.db, calculations, calculationsWhere(ctx, filter)),
  async get(ctx: Context, id: string) {
    const [row] = await ctx.db
      .select()
      .from(calculations)
      .where(and(eq(calculations.id, id), calculationsWhere(ctx)));
    if (!row) throw new NotFound("AdvantageCalculation", id);
    return row;
  },
};

const category = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Category keys are lowercase words joined by _"),
  label: z.string().trim().min(1).max(textLimit("label")),
  basis: z.enum(["hours", "activities", "contacts"]),
  rate: z.number().refine((r) => Number.isFinite(r) && r >= 0, {
    message: "rate must be at least 0",
    params: { rule: "rate_non_negative" },
  }),
});
const parameterFields = {
  hourlyRate: z.number().refine((r) => Number.isFinite(r) && r >= 0 && r < 1e9, {
    message: "hourlyRate must be at least 0",
    params: { rule: "rate_non_negative" },
  }),
  currency,
  source: nonEmptyText("source", "source_not_empty", textLimit("source")),
  benefitCategories: z
    .array(category)
    .max(20)
    .refine((c) => new Set(c.map((x) => x.key)).size === c.length, {
      message: "Category keys must differ",
      params: { rule: "category_keys_unique" },
    }),
};

async function markStale(ctx: Context, organizationId: string, year: number) {
  const [org] = await ctx.db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) return;
  const { start } = yearRange(year, org.timeZone);
  await ctx.db
    .update(calculations)
    .set({ isStale: true })
    .where(and(eq(calculations.organizationId, organizationId), eq(calculations.periodStart, start)));
}

async function getParameter(ctx: Context, id: string) {
  const [row] = await ctx.db.select().from(parameters).where(eq(parameters.id, id));
  if (!row || !canSee(ctx, row.organizationId)) throw new NotFound("AdvantageParameter", id);
  return row;
}

async function createParameter(ctx: Context, args: CreateAdvantageParameterArgs) {
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: false })!;
  const [org] = await ctx.db.select().from(organizations).where(eq(organizations.id, organizationId));
  const input = parseInput(
    z.object({
      year: z
        .number()
        .int()
        .refine((y) => y >= 2000 && y <= 2100, {
          message: "year must be from 2000 to 2100",
          params: { rule: "year_range_valid" },
        }),
      ...parameterFields,
      currency: parameterFields.currency.default(org?.currency ?? "NOK"),
      benefitCategories: parameterFields.benefitCategories.default([]),
    }),
    args,
  );
  const [row] = await guarded(
    () =>
      ctx.db
        .insert(parameters)
        .values({ ...input, organizationId })
        .returning(),
    {
      advantage_parameters_org_year_key: {
        field: "year",
        rule: "unique",
        message: "This year already has parameters: edit them",
      },
    },
  );
  await markStale(ctx, organizationId, input.year);
  return row!;
}

async function updateParameter(ctx: Context, args: UpdateAdvantageParameterArgs) {
  const existing = await getParameter(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "advantage parameters");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(z.object(parameterFields).partial(), definedOnly(changes)));
  const [row] = await ctx.db
    .update(parameters)
    .set({ ...input, updatedAt: ctx.now })
    .where(eq(parameters.id, existing.id))
    .returning();
  await markStale(ctx, existing.organizationId, existing.year);
  return row!;
}

async function deleteParameter(ctx: Context, id: string) {
  const existing = await getParameter(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "advantage parameters");
  await ctx.db.delete(parameters).where(eq(parameters.id, existing.id));
  await markStale(ctx, existing.organizationId, existing.year);
  return existing;
}

function parametersWhere(ctx: Context, filter: AdvantageParameterFilter = {}) {
  return and(
    ownRows(ctx, parameters.organizationId),
    filter.organizationId ? eq(parameters.organizationId, filter.organizationId) : undefined,
    filter.year ? eq(parameters.year, filter.year) : undefined,
    filter.ids ? inArray(parameters.id, filter.ids) : undefined,
  );
}

export const parameterService = {
  get: getParameter,
  list: (ctx: Context, args: ListArgs, filter?: AdvantageParameterFilter) =>
    selectPage(
      ctx.db,
      parameters,
      parametersWhere(ctx, filter),
      { sortOrder: "DESC", ...args },
      { id: parameters.id, year: parameters.year },
      "year",
    ),
  count: (ctx: Context, filter?: AdvantageParameterFilter) =>
    countRows(ctx.db, parameters, parametersWhere(ctx, filter)),
  create: createParameter,
  update: updateParameter,
  remove: deleteParameter,
};
