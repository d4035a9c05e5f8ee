import { createHash } from "node:crypto";
import { type Executor, schema } from "@laurel/db";
import { type CountTriggerType, isEventJudged, TRIGGER_METRICS } from "@laurel/engine";
import { and, count, eq, ilike, inArray, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { type Issue, invalid, ValidationFailed } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { type AchievementRow, getAchievement } from "../../lib/directory.js";
import { assertSafeLink, machineKey, moduleId } from "../../lib/formats.js";
import { textLimit, withinJsonLimit } from "../../lib/limits.js";
import type { ListArgs } from "../../lib/list.js";
import { assertKnownModules } from "../../lib/platform.js";
import { assertCanWrite, requireUser, targetOrganization } from "../../lib/tenancy.js";
import { checkRules, nonEmptyText, parseInput, type Rule } from "../../validation.js";
import { enqueueBackfill } from "../../scoring/backfill.js";
import type { AchievementFilter, CreateAchievementArgs, UpdateAchievementArgs } from "./achievement.input.js";
import { visibleAchievements } from "../../scoring/visibility.js";

const {
  achievements,
  achievementRuleLinks: links,
  achievementRules: rules,
  achievementRewards: rewards,
} = schema;
const { consumables, metricDefinitions: metrics, userAchievements } = schema;

const COUNT_TRIGGERS: readonly string[] = schema.countTriggerTypes;
const sortable = {
  id: achievements.id,
  key: achievements.key,
  name: achievements.name,
  category: achievements.category,
  sortOrder: achievements.sortOrder,
  points: achievements.points,
  createdAt: achievements.createdAt,
  updatedAt: achievements.updatedAt,
};

const fields = {
  key: machineKey("key_format"),
  name: nonEmptyText("name", "name_not_empty"),
  description: nonEmptyText("description", "description_not_empty", textLimit("description")),
  iconUrl: z.string().trim().max(textLimit("iconUrl")).nullish(),
  category: z.enum(schema.achievementCategories),
  triggerType: z.enum(schema.triggerTypes),
  triggerThreshold: z.number().int().nullish(),
  triggerMetadata: z
    .record(z.string(), z.unknown())
    .superRefine(withinJsonLimit("triggerMetadata"))
    .nullish(),
  points: z
    .number()
    .int()
    .refine((p) => p >= 0, {
      message: "points must not be negative",
      params: { rule: "points_non_negative" },
    }),
  isRepeatable: z.boolean(),
  repeatPeriod: z.enum(schema.repeatPeriods).nullish(),
  isActive: z.boolean(),
  isHidden: z.boolean(),
  expiresAt: z.date().nullish(),
  requiresModule: moduleId.nullish(),
  sortOrder: z.number().int().min(0).max(1_000_000),
  ruleIds: z.array(z.string().uuid()).max(20),
  rewards: z
    .array(
      z.object({
        consumableId: z.string().uuid(),
        quantity: z.number().int().min(1).max(1_000_000).default(1),
      }),
    )
    .max(20)
    .refine((r) => new Set(r.map((x) => x.consumableId)).size === r.length, {
      message: "Each reward once: raise its quantity instead",
      params: { rule: "rewards_unique" },
    }),
};
const createSchema = z.object({
  ...fields,
  points: fields.points.default(0),
  isRepeatable: fields.isRepeatable.default(false),
  isActive: fields.isActive.default(true),
  isHidden: fields.isHidden.default(false),
  sortOrder: fields.sortOrder.default(0),
  ruleIds: fields.ruleIds.default([]),
  rewards: fields.rewards.default([]),
});
type AchievementInput = z.output<typeof createSchema>;
type Draft = AchievementInput & { ruleWeights: number[] };

/** Seed 000's rules and the weights rule of seed 001, on the whole record as it would be saved. */
const RULES: Rule<Draft>[] = [
  {
    name: "threshold_required_for_count_triggers",
    field: "triggerThreshold",
    message: "Count-based triggers need a threshold of at least 1",
    test: (a) => !COUNT_TRIGGERS.includes(a.triggerType) || (a.triggerThreshold ?? 0) >= 1,
  },
  {
    name: "repeat_period_requires_repeatable",
    field: "repeatPeriod",
    message: "Only a repeatable achievement has a repeat period",
    test: (a) => !a.repeatPeriod || a.isRepeatable,
  },
  {
    name: "rules_required",
    field: "ruleIds",
    message: "An achievement with the rules trigger needs at least one rule",
    test: (a) => a.triggerType !== "rules" || a.ruleIds.length > 0,
  },
  {
    name: "rule_weights_sum_100",
    field: "ruleIds",
    message: "The weights of an achievement's rules must sum to 100",
    test: (a) =>
      a.triggerType !== "rules" || a.ruleIds.length === 0 || a.ruleWeights.reduce((s, w) => s + w, 0) === 100,
  },
  {
    name: "rules_only_for_rules_trigger",
    field: "ruleIds",
    message: "Only an achievement with the rules trigger has rules; count-based triggers use their threshold",
    test: (a) => a.triggerType === "rules" || a.ruleIds.length === 0,
  },
  {
    name: "trigger_metadata_format",
    field: "triggerMetadata",
    message:
      "For count-based triggers, trigger metadata holds a period (all_time, calendar_year, calendar_month, calendar_week) and attribute filters with string, number or boolean values",
    test: (a) =>
      !COUNT_TRIGGERS.includes(a.triggerType) ||
      Object.entries(a.triggerMetadata ?? {}).every(([k, v]) =>
        k === "period"
          ? (schema.metricWindows as readonly unknown[]).includes(v)
          : ["string", "number", "boolean"].includes(typeof v),
      ),
  },
];

async function whereOf(ctx: Context, filter: AchievementFilter = {}): Promise<SQL | undefined> {
  return and(
    await visibleAchievements(ctx),
    filter.q
      ? or(ilike(achievements.name, `%${filter.q}%`), ilike(achievements.key, `%${filter.q}%`))
      : undefined,
    filter.id ? eq(achievements.id, filter.id) : undefined,
    filter.ids ? inArray(achievements.id, filter.ids) : undefined,
    filter.organizationId ? eq(achievements.organizationId, filter.organizationId) : undefined,
    filter.category ? eq(achievements.category, filter.category as AchievementRow["category"]) : undefined,
    filter.triggerType
      ? eq(achievements.triggerType, filter.triggerType as AchievementRow["triggerType"])
      : undefined,
    typeof filter.isActive === "boolean" ? eq(achievements.isActive, filter.isActive) : undefined,
    typeof filter.isHidden === "boolean" ? eq(achievements.isHidden, filter.isHidden) : undefined,
    filter.isPlatform === true
      ? isNull(achievements.organizationId)
      : filter.isPlatform === false
        ? isNotNull(achievements.organizationId)
        : undefined,
  );
}

/** Rules and rewards must be the platform's or the achievement's own organization's. */
async function checkReferences(
  db: Executor,
  input: Pick<AchievementInput, "ruleIds" | "rewards">,
  organizationId: string | null,
) {
  const issues: Issue[] = [];
  const usable = (org: string | null) => org === null || org === organizationId;
  const ruleRows = input.ruleIds.length
    ? await db
        .select({ id: rules.id, weight: rules.weight, organizationId: rules.organizationId })
        .from(rules)
        .where(inArray(rules.id, input.ruleIds))
    : [];
  if (ruleRows.length !== new Set(input.ruleIds).size || !ruleRows.every((r) => usable(r.organizationId))) {
    issues.push({
      field: "ruleIds",
      rule: "rules_exist",
      message: "Every rule must exist in this organization or the platform",
      severity: "error",
    });
  }
  const consumableIds = input.rewards.map((r) => r.consumableId);
  const consumableRows = consumableIds.length
    ? await db
        .select({ id: consumables.id, organizationId: consumables.organizationId })
        .from(consumables)
        .where(inArray(consumables.id, consumableIds))
    : [];
  if (
    consumableRows.length !== consumableIds.length ||
    !consumableRows.every((c) => usable(c.organizationId))
  ) {
    issues.push({
      field: "rewards",
      rule: "rewards_exist",
      message: "Every reward must exist in this organization or the platform",
      severity: "error",
    });
  }
  if (issues.length) throw new ValidationFailed(issues);
  return ruleRows.map((r) => r.weight);
}

/** The annual Wrapped badge is earned once per calendar year: it always repeats yearly. */
function normalize(input: AchievementInput): AchievementInput {
  if (input.triggerType !== "annual_summary") return input;
  return { ...input, isRepeatable: true, repeatPeriod: "yearly", triggerThreshold: null };
}

const hash8 = (value: unknown) =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 8);

/**
 * The metric a count-based trigger's threshold applies to: the shipped one, or, when the trigger's
 * metadata narrows it (`{"activity_type": "home_visit", "period": "calendar_year"}`), a metric derived
 * from it with that filter and window, made once per organization and computed from history.
 */
async function triggerMetricId(
  ctx: Context,
  db: Executor,
  input: AchievementInput,
  organizationId: string | null,
) {
  if (!COUNT_TRIGGERS.includes(input.triggerType)) return null;
  const baseKey = TRIGGER_METRICS[input.triggerType as CountTriggerType];
  const [base] = await db
    .select()
    .from(metrics)
    .where(and(eq(metrics.key, baseKey), isNull(metrics.organizationId)));
  if (!base) throw new Error(`The shipped metric ${baseKey} is missing`);
  const { period, ...filters } = (input.triggerMetadata ?? {}) as Record<string, string | number | boolean>;
  const window = (period as (typeof metrics.$inferSelect)["window"] | undefined) ?? "all_time";
  if (window === "all_time" && Object.keys(filters).length === 0) return base.id;
  const key = `${baseKey}__${hash8({ filters: Object.entries(filters).sort(), window })}`;
  const [found] = await db
    .select({ id: metrics.id })
    .from(metrics)
    .where(
      and(
        eq(metrics.key, key),
        organizationId ? eq(metrics.organizationId, organizationId) : isNull(metrics.organizationId),
      ),
    );
  if (found) return found.id;
  const described = [
    ...Object.entries(filters).map(([k, v]) => `${k} = ${v}`),
    window !== "all_time" ? window.replace("_", " ") : "",
  ].filter(Boolean);
  const [made] = await db
    .insert(metrics)
    .values({
      organizationId,
      key,
      name: `${base.name} (${described.join(", ")})`,
      description: `${base.description ?? base.name}, narrowed by an achievement's trigger metadata`,
      eventTypes: base.eventTypes,
      aggregation: base.aggregation,
      distinctAttribute: base.distinctAttribute,
      filter: { ...base.filter, ...filters },
      window: window as (typeof metrics.$inferSelect)["window"],
      streakUnit: base.streakUnit,
      resetEventTypes: base.resetEventTypes,
    })
    .returning({ id: metrics.id });
  await enqueueBackfill(db, {
    kind: "metric",
    metricId: made!.id,
    organizationId,
    requestedById: requireUser(ctx).userId,
  });
  return made!.id;
}

async function saveLinks(
  db: Executor,
  achievementId: string,
  input: Pick<AchievementInput, "ruleIds" | "rewards">,
  replace: { rules: boolean; rewards: boolean },
) {
  if (replace.rules) {
    await db.delete(links).where(eq(links.achievementId, achievementId));
    if (input.ruleIds.length)
      await db.insert(links).values([...new Set(input.ruleIds)].map((ruleId) => ({ achievementId, ruleId })));
  }
  if (replace.rewards) {
    await db.delete(rewards).where(eq(rewards.achievementId, achievementId));
    if (input.rewards.length) {
      await db
        .insert(rewards)
        .values(
          input.rewards.map((r) => ({ achievementId, consumableId: r.consumableId, quantity: r.quantity })),
        );
    }
  }
}

const uniqueKey = {
  idx_achievements_org_key: { field: "key", rule: "key_unique", message: "Another achievement has this key" },
};

async function createAchievement(ctx: Context, args: CreateAchievementArgs): Promise<AchievementRow> {
  const input = normalize(parseInput(createSchema, args));
  assertSafeLink("iconUrl", input.iconUrl, ctx.app.env.production, "icon_url_format");
  if (input.requiresModule) assertKnownModules(ctx, [input.requiresModule], "requiresModule");
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  const ruleWeights = await checkReferences(ctx.db, input, organizationId);
  ctx.warnings.push(...checkRules({ ...input, ruleWeights }, RULES));
  const { ruleIds: _r, rewards: _w, ...columns } = input;
  const row = await ctx.db.transaction(async (tx) => {
    const metricId = await triggerMetricId(ctx, tx, input, organizationId);
    const [made] = await guarded(
      () =>
        tx
          .insert(achievements)
          .values({ ...columns, organizationId, triggerMetricId: metricId })
          .returning(),
      uniqueKey,
    );
    await saveLinks(tx, made!.id, input, { rules: true, rewards: true });
    if (made!.isActive && isEventJudged(made!)) {
      await enqueueBackfill(tx, {
        kind: "achievement",
        achievementId: made!.id,
        organizationId,
        requestedById: requireUser(ctx).userId,
        notifyUsers: args.notifyOnBackfill ?? false,
      });
    }
    return made!;
  });
  ctx.app.jobs.kick();
  return row;
}

/** What changes who qualifies: a change re-judges the achievement's users (a backfill). */
const JUDGED_FIELDS = [
  "triggerType",
  "triggerThreshold",
  "triggerMetadata",
  "ruleIds",
  "repeatPeriod",
  "isRepeatable",
] as const;

async function updateAchievement(ctx: Context, args: UpdateAchievementArgs): Promise<AchievementRow> {
  const existing = await getAchievement(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "achievement");
  const { id: _id, notifyOnBackfill, ...changes } = args;
  const patch = definedOnly(parseInput(z.object(fields).partial(), definedOnly(changes)));
  assertSafeLink("iconUrl", patch.iconUrl, ctx.app.env.production, "icon_url_format");
  // A module the installation no longer offers may stay on an achievement, not be newly required.
  if (patch.requiresModule && patch.requiresModule !== existing.requiresModule)
    assertKnownModules(ctx, [patch.requiresModule], "requiresModule");
  const merged = await patched(ctx, existing, patch);
  const ruleWeights = await checkReferences(ctx.db, merged, existing.organizationId);
  ctx.warnings.push(...checkRules({ ...merged, ruleWeights }, RULES));
  const judgedChanged = JUDGED_FIELDS.some((k) => k in patch);
  const activated = patch.isActive === true && !existing.isActive;
  const row = await ctx.db.transaction(async (tx) => {
    const metricId = await triggerMetricId(ctx, tx, merged, existing.organizationId);
    const [updated] = await guarded(
      () =>
        tx
          .update(achievements)
          .set(columnsOf(merged, metricId, ctx.now))
          .where(eq(achievements.id, existing.id))
          .returning(),
      uniqueKey,
    );
    await saveLinks(tx, existing.id, merged, { rules: "ruleIds" in patch, rewards: "rewards" in patch });
    if (updated!.isActive && isEventJudged(updated!) && (activated || judgedChanged)) {
      await enqueueBackfill(tx, {
        kind: "achievement",
        achievementId: existing.id,
        organizationId: existing.organizationId,
        requestedById: requireUser(ctx).userId,
        notifyUsers: notifyOnBackfill ?? false,
      });
    }
    return updated!;
  });
  ctx.loaders.achievement.clear(existing.id);
  ctx.app.jobs.kick();
  return row;
}

/** The achievement as it would be saved: the stored one, its rules and rewards, with the patch over them. */
async function patched(
  ctx: Context,
  existing: AchievementRow,
  patch: Partial<AchievementInput>,
): Promise<AchievementInput> {
  const currentRules = await ctx.db
    .select({ ruleId: links.ruleId })
    .from(links)
    .where(eq(links.achievementId, existing.id));
  const currentRewards = await ctx.db.select().from(rewards).where(eq(rewards.achievementId, existing.id));
  return normalize({
    ...existing,
    ruleIds: currentRules.map((r) => r.ruleId),
    rewards: currentRewards.map((r) => ({ consumableId: r.consumableId, quantity: r.quantity })),
    ...patch,
  } as AchievementInput);
}

/** Every column an update writes, the cleared optional ones as null. */
function columnsOf(input: AchievementInput, triggerMetricId: string | null, now: Date) {
  return {
    key: input.key,
    name: input.name,
    description: input.description,
    iconUrl: input.iconUrl ?? null,
    category: input.category,
    triggerType: input.triggerType,
    triggerThreshold: input.triggerThreshold ?? null,
    triggerMetadata: input.triggerMetadata ?? null,
    triggerMetricId,
    points: input.points,
    isRepeatable: input.isRepeatable,
    repeatPeriod: input.repeatPeriod ?? null,
    isActive: input.isActive,
    isHidden: input.isHidden,
    expiresAt: input.expiresAt ?? null,
    requiresModule: input.requiresModule ?? null,
    sortOrder: input.sortOrder,
    updatedAt: now,
  };
}

/** Deleting would lose users' awards: an achievement someone earned is deactivated instead. */
async function deleteAchievement(ctx: Context, id: string): Promise<AchievementRow> {
  const existing = await getAchievement(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "achievement");
  const [earned] = await ctx.db
    .select({ n: count() })
    .from(userAchievements)
    .where(and(eq(userAchievements.achievementId, id), isNotNull(userAchievements.completedAt)));
  if (Number(earned?.n ?? 0) > 0) {
    throw invalid(
      "id",
      "has_awards",
      "Users have earned this achievement: deactivate it instead (is_active = false keeps their awards)",
    );
  }
  await ctx.db.delete(achievements).where(eq(achievements.id, existing.id));
  return existing;
}

export const achievementService = {
  get: getAchievement,
  list: async (ctx: Context, args: ListArgs, filter?: AchievementFilter) =>
    selectPage(ctx.db, achievements, await whereOf(ctx, filter), args, sortable, "sortOrder"),
  count: async (ctx: Context, filter?: AchievementFilter) =>
    countRows(ctx.db, achievements, await whereOf(ctx, filter)),
  create: createAchievement,
  update: updateAchievement,
  remove: deleteAchievement,
};
