import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { invalid } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { eventType, machineKey, scalarRecord } from "../../lib/formats.js";
import type { ListArgs } from "../../lib/list.js";
import { getMetric, type MetricRow } from "../../lib/directory.js";
import { assertCanWrite, requireUser, targetOrganization, visibleRows } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import { enqueueBackfill } from "../../scoring/backfill.js";
import type { CreateMetricArgs, MetricFilter, UpdateMetricArgs } from "./metric.input.js";
import { textLimit } from "../../lib/limits.js";

const { metricDefinitions: metrics } = schema;

const sortable = { id: metrics.id, key: metrics.key, name: metrics.name, createdAt: metrics.createdAt };

const fields = {
  name: nonEmptyText("name", "name_not_empty"),
  description: z.string().max(textLimit("description")).optional(),
  eventTypes: z.array(eventType).min(1, "At least one event type").max(20),
  aggregation: z.enum(schema.metricAggregations),
  distinctAttribute: z.string().max(64).nullish(),
  filter: scalarRecord("filter", "filter_format"),
  window: z.enum(schema.metricWindows),
  streakUnit: z.enum(schema.streakUnits).nullish(),
  resetEventTypes: z.array(eventType).max(20),
  isActive: z.boolean(),
};

/** The rules that tie a metric's fields together, as the database's checks do. */
function shape<
  T extends { aggregation?: string; distinctAttribute?: string | null; streakUnit?: string | null },
>(s: z.ZodType<T>) {
  return s
    .refine((m) => (m.aggregation === "distinct") === Boolean(m.distinctAttribute), {
      message:
        "A distinct metric names the attribute it counts (distinctAttribute), and only a distinct metric does",
      path: ["distinctAttribute"],
      params: { rule: "distinct_needs_attribute" },
    })
    .refine(
      (m) =>
        (m.aggregation === "current_streak" || m.aggregation === "longest_streak") === Boolean(m.streakUnit),
      {
        message: "A streak counts events or days (streakUnit), and only a streak does",
        path: ["streakUnit"],
        params: { rule: "streak_needs_unit" },
      },
    );
}

const createSchema = shape(
  z.object({
    key: machineKey(),
    ...fields,
    filter: fields.filter.default({}),
    window: fields.window.default("all_time"),
    resetEventTypes: fields.resetEventTypes.default([]),
    isActive: fields.isActive.default(true),
  }),
);

function whereOf(ctx: Context, filter: MetricFilter = {}): SQL | undefined {
  return and(
    visibleRows(ctx, metrics.organizationId),
    filter.q ? or(ilike(metrics.name, `%${filter.q}%`), ilike(metrics.key, `%${filter.q}%`)) : undefined,
    filter.id ? eq(metrics.id, filter.id) : undefined,
    filter.ids ? inArray(metrics.id, filter.ids) : undefined,
    filter.organizationId ? eq(metrics.organizationId, filter.organizationId) : undefined,
    filter.isBuiltIn === true
      ? isNull(metrics.organizationId)
      : filter.isBuiltIn === false
        ? isNotNull(metrics.organizationId)
        : undefined,
    typeof filter.isActive === "boolean" ? eq(metrics.isActive, filter.isActive) : undefined,
  );
}

/** A tenant's metric may not take the key of one shipped with Laurel: rules pick metrics by key. */
async function assertKeyFree(ctx: Context, key: string, organizationId: string | null) {
  const [clash] = await ctx.db
    .select({ id: metrics.id })
    .from(metrics)
    .where(
      and(
        eq(metrics.key, key),
        organizationId
          ? or(isNull(metrics.organizationId), eq(metrics.organizationId, organizationId))
          : undefined,
      ),
    );
  if (clash) throw invalid("key", "unique", `A metric with the key ${key} already exists`);
}

async function createMetric(ctx: Context, args: CreateMetricArgs): Promise<MetricRow> {
  const input = parseInput(createSchema, args);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  await assertKeyFree(ctx, input.key, organizationId);
  const row = await ctx.db.transaction(async (tx) => {
    const [made] = await guarded(() =>
      tx
        .insert(metrics)
        .values({ ...input, organizationId })
        .returning(),
    );
    // Events that arrived before the metric existed count too: computed in the background.
    await enqueueBackfill(tx, {
      kind: "metric",
      metricId: made!.id,
      organizationId,
      requestedById: requireUser(ctx).userId,
    });
    return made!;
  });
  ctx.app.jobs.kick();
  return row;
}

async function updateMetric(ctx: Context, args: UpdateMetricArgs): Promise<MetricRow> {
  const existing = await getMetric(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "metric");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(z.object(fields).partial(), definedOnly(changes)));
  parseInput(
    shape(
      z.object({
        aggregation: z.string(),
        distinctAttribute: z.string().nullish(),
        streakUnit: z.string().nullish(),
      }),
    ),
    {
      ...existing,
      ...input,
    },
  );
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await guarded(() =>
      tx
        .update(metrics)
        .set({ ...input, updatedAt: ctx.now })
        .where(eq(metrics.id, existing.id))
        .returning(),
    );
    const recount = [
      "eventTypes",
      "aggregation",
      "distinctAttribute",
      "filter",
      "window",
      "streakUnit",
      "resetEventTypes",
    ].some((k) => k in input);
    if (recount) {
      await enqueueBackfill(tx, {
        kind: "metric",
        metricId: existing.id,
        organizationId: existing.organizationId,
        requestedById: requireUser(ctx).userId,
      });
    }
    return updated!;
  });
  ctx.app.jobs.kick();
  return row;
}

async function deleteMetric(ctx: Context, id: string): Promise<MetricRow> {
  const existing = await getMetric(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "metric");
  await guarded(() => ctx.db.delete(metrics).where(eq(metrics.id, existing.id)), {
    achievement_rules_metric_id_metric_definitions_id_fk: {
      field: "id",
      rule: "in_use",
      message: "Rules still read this metric",
    },
    achievements_trigger_metric_id_metric_definitions_id_fk: {
      field: "id",
      rule: "in_use",
      message: "Achievements still read this metric",
    },
  });
  return existing;
}

export const metricService = {
  get: getMetric,
  list: (ctx: Context, args: ListArgs, filter?: MetricFilter) =>
    selectPage(ctx.db, metrics, whereOf(ctx, filter), args, sortable, "key"),
  count: (ctx: Context, filter?: MetricFilter) => countRows(ctx.db, metrics, whereOf(ctx, filter)),
  create: createMetric,
  update: updateMetric,
  remove: deleteMetric,
};
