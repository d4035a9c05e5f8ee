import { schema } from "@laurel/db";
import { and, eq, ilike, inArray, ne, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { invalid, NotFound } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import { getMetric } from "../../lib/directory.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, requireUser, targetOrganization } from "../../lib/tenancy.js";
import { visibleRules } from "../../scoring/visibility.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import { enqueueBackfill } from "../../scoring/backfill.js";
import type {
  AchievementRuleFilter,
  CreateAchievementRuleArgs,
  UpdateAchievementRuleArgs,
} from "./rule.input.js";

const { achievementRules: rules, achievementRuleLinks: links, achievements } = schema;
export type RuleRow = typeof rules.$inferSelect;

const sortable = { id: rules.id, name: rules.name, weight: rules.weight, createdAt: rules.createdAt };

const fields = {
  name: nonEmptyText("name", "name_not_empty"),
  metricId: z.string().uuid(),
  comparator: z.enum(schema.comparators),
  target: z
    .number()
    .refine(Number.isFinite, { message: "target must be a number", params: { rule: "target_number" } }),
  weight: z.number().refine((w) => Number.isInteger(w) && w >= 0 && w <= 100, {
    message: "weight is a whole number from 0 to 100",
    params: { rule: "weight_range" },
  }),
};

async function whereOf(ctx: Context, filter: AchievementRuleFilter = {}): Promise<SQL | undefined> {
  return and(
    await visibleRules(ctx),
    filter.q ? ilike(rules.name, `%${filter.q}%`) : undefined,
    filter.id ? eq(rules.id, filter.id) : undefined,
    filter.ids ? inArray(rules.id, filter.ids) : undefined,
    filter.organizationId ? eq(rules.organizationId, filter.organizationId) : undefined,
    filter.metricId ? eq(rules.metricId, filter.metricId) : undefined,
  );
}

/** A rule the viewer may see (tenancy and visibility.ts: the loader is scoped by both). */
export async function getRule(ctx: Context, id: string): Promise<RuleRow> {
  const row = await ctx.loaders.rule.load(id);
  if (!row) throw new NotFound("AchievementRule", id);
  return row;
}

/** A rule reads a metric its own organization can see: the platform's or that organization's. */
async function assertMetricUsable(ctx: Context, metricId: string, organizationId: string | null) {
  const metric = await getMetric(ctx, metricId).catch(() => {
    throw invalid("metricId", "metric_exists", "No such metric");
  });
  if (metric.organizationId !== null && metric.organizationId !== organizationId) {
    throw invalid("metricId", "metric_in_organization", "The metric belongs to another organization");
  }
}

async function createRule(ctx: Context, args: CreateAchievementRuleArgs): Promise<RuleRow> {
  const input = parseInput(z.object(fields), args);
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: true });
  await assertMetricUsable(ctx, input.metricId, organizationId);
  const [row] = await guarded(() =>
    ctx.db
      .insert(rules)
      .values({ ...input, organizationId })
      .returning(),
  );
  return row!;
}

async function updateRule(ctx: Context, args: UpdateAchievementRuleArgs): Promise<RuleRow> {
  const existing = await getRule(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "rule");
  const { id: _id, ...changes } = args;
  const input = definedOnly(parseInput(z.object(fields).partial(), definedOnly(changes)));
  if (input.metricId) await assertMetricUsable(ctx, input.metricId, existing.organizationId);
  const linked = await achievementsUsing(ctx, existing.id);
  if (input.weight !== undefined && input.weight !== existing.weight && linked.length > 0) {
    await assertWeightsStillSum(ctx, existing.id, linked, input.weight);
  }
  // Changed rules: users who now qualify earn the active achievements that use them.
  const judged = ["metricId", "comparator", "target", "weight"].some((k) => k in input);
  const rejudge = judged ? linked.filter((a) => a.isActive) : [];
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await guarded(() =>
      tx
        .update(rules)
        .set({ ...input, updatedAt: ctx.now })
        .where(eq(rules.id, existing.id))
        .returning(),
    );
    for (const achievement of rejudge) {
      await enqueueBackfill(tx, {
        kind: "achievement",
        achievementId: achievement.id,
        organizationId: achievement.organizationId,
        requestedById: requireUser(ctx).userId,
      });
    }
    return updated!;
  });
  if (rejudge.length > 0) ctx.app.jobs.kick();
  return row;
}

type LinkedAchievement = { id: string; name: string; isActive: boolean; organizationId: string | null };

/** The achievements that use a rule. */
function achievementsUsing(ctx: Context, ruleId: string): Promise<LinkedAchievement[]> {
  return ctx.db
    .select({
      id: achievements.id,
      name: achievements.name,
      isActive: achievements.isActive,
      organizationId: achievements.organizationId,
    })
    .from(links)
    .innerJoin(achievements, eq(achievements.id, links.achievementId))
    .where(eq(links.ruleId, ruleId));
}

/** Every achievement using the rule must still have weights summing to 100 with the rule's new weight. */
async function assertWeightsStillSum(
  ctx: Context,
  ruleId: string,
  linked: LinkedAchievement[],
  weight: number,
): Promise<void> {
  const sums = await ctx.db
    .select({
      achievementId: links.achievementId,
      total: sql<number>`coalesce(sum(${rules.weight}), 0)::int`,
    })
    .from(links)
    .innerJoin(rules, eq(rules.id, links.ruleId))
    .where(
      and(
        inArray(
          links.achievementId,
          linked.map((a) => a.id),
        ),
        ne(rules.id, ruleId),
      ),
    )
    .groupBy(links.achievementId);
  const broken = linked.filter(
    (a) => (sums.find((s) => s.achievementId === a.id)?.total ?? 0) + weight !== 100,
  );
  if (broken.length > 0) {
    throw invalid(
      "weight",
      "rule_weights_sum_100",
      `The weights of ${broken.map((a) => a.name).join(", ")} would no longer sum to 100`,
    );
  }
}

async function deleteRule(ctx: Context, id: string): Promise<RuleRow> {
  const existing = await getRule(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "rule");
  await guarded(() => ctx.db.delete(rules).where(eq(rules.id, existing.id)), {
    achievement_rule_links_rule_id_achievement_rules_id_fk: {
      field: "id",
      rule: "in_use",
      message: "Achievements still use this rule",
    },
  });
  return existing;
}

export const ruleService = {
  get: getRule,
  list: async (ctx: Context, args: ListArgs, filter?: AchievementRuleFilter) =>
    selectPage(ctx.db, rules, await whereOf(ctx, filter), args, sortable, "name"),
  count: async (ctx: Context, filter?: AchievementRuleFilter) =>
    countRows(ctx.db, rules, await whereOf(ctx, filter)),
  create: createRule,
  update: updateRule,
  remove: deleteRule,
};
