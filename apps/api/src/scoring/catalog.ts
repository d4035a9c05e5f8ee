import { type Executor, schema } from "@laurel/db";
import { buildCatalog, type EffectiveRule, type Grant, JUDGED_ELSEWHERE, type Judged } from "@laurel/engine";
import { and, eq, gt, inArray, isNull, notInArray, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { LRUCache } from "lru-cache";
import type { AchievementRow, Catalog, Tenant } from "./model.js";

const { achievements, achievementRuleLinks, achievementRules, achievementRewards, consumables } = schema;
const { metricDefinitions, catalogVersion } = schema;

/** Judged by events: everything but manual grants and the annual Wrapped badge (`isEventJudged` in SQL). */
export const EVENT_JUDGED: SQL = notInArray(achievements.triggerType, [...JUDGED_ELSEWHERE]);

/**
 * Achievements a tenant has: its own and the platform's, active, and gated by its modules. A dry run
 * may ask about an inactive one before it is switched on.
 */
export function availableTo(
  tenant: Pick<Tenant, "id" | "modules">,
  options: { includeInactive?: boolean } = {},
): SQL {
  return and(
    options.includeInactive ? undefined : eq(achievements.isActive, true),
    or(isNull(achievements.organizationId), eq(achievements.organizationId, tenant.id)),
    tenant.modules.length > 0
      ? or(isNull(achievements.requiresModule), inArray(achievements.requiresModule, [...tenant.modules]))
      : isNull(achievements.requiresModule),
  )!;
}

export function notExpired(now: Date): SQL {
  return or(isNull(achievements.expiresAt), gt(achievements.expiresAt, now))!;
}

/** A tenant's active metrics: the platform's and its own. */
export function activeMetricsOf(tenantId: string) {
  return and(
    eq(metricDefinitions.isActive, true),
    or(isNull(metricDefinitions.organizationId), eq(metricDefinitions.organizationId, tenantId)),
  );
}

const ruleMetric = alias(metricDefinitions, "rule_metric");
const triggerMetric = alias(metricDefinitions, "trigger_metric");

/**
 * Achievements matching `where`, each with its effective rules: its linked rules, or for a count-based
 * trigger one rule of weight 100 on the trigger's metric. One statement, whatever their number.
 */
export async function achievementsWithRules(
  db: Executor,
  where: SQL | undefined,
): Promise<Judged<AchievementRow>[]> {
  const rows = await db
    .select({
      achievement: achievements,
      ruleId: achievementRules.id,
      ruleName: achievementRules.name,
      comparator: achievementRules.comparator,
      target: achievementRules.target,
      weight: achievementRules.weight,
      ruleMetricId: ruleMetric.id,
      ruleMetricKey: ruleMetric.key,
      ruleWindow: ruleMetric.window,
      triggerMetricKey: triggerMetric.key,
      triggerWindow: triggerMetric.window,
    })
    .from(achievements)
    .leftJoin(achievementRuleLinks, eq(achievementRuleLinks.achievementId, achievements.id))
    .leftJoin(achievementRules, eq(achievementRules.id, achievementRuleLinks.ruleId))
    .leftJoin(ruleMetric, eq(ruleMetric.id, achievementRules.metricId))
    .leftJoin(triggerMetric, eq(triggerMetric.id, achievements.triggerMetricId))
    .where(where)
    .orderBy(achievements.category, achievements.sortOrder, achievements.id);
  const byId = new Map<string, Judged<AchievementRow>>();
  for (const row of rows) {
    let entry = byId.get(row.achievement.id);
    if (!entry)
      byId.set(row.achievement.id, (entry = { achievement: row.achievement, rules: triggerRules(row) }));
    const linked = linkedRule(row);
    if (linked) entry.rules.push(linked);
  }
  return [...byId.values()];
}

type RuleRow = {
  achievement: AchievementRow;
  ruleId: string | null;
  ruleName: string | null;
  comparator: EffectiveRule["comparator"] | null;
  target: number | null;
  weight: number | null;
  ruleMetricId: string | null;
  ruleMetricKey: string | null;
  ruleWindow: EffectiveRule["window"] | null;
  triggerMetricKey: string | null;
  triggerWindow: EffectiveRule["window"] | null;
};

/** A count-based trigger as a rule: its metric at its threshold, weight 100. */
function triggerRules({ achievement: a, triggerWindow, triggerMetricKey }: RuleRow): EffectiveRule[] {
  if (!a.triggerMetricId || a.triggerThreshold === null || !triggerWindow || !triggerMetricKey) return [];
  const metric = { metricId: a.triggerMetricId, metricKey: triggerMetricKey, window: triggerWindow };
  return [
    { ruleId: null, name: a.name, ...metric, comparator: "gte", target: a.triggerThreshold, weight: 100 },
  ];
}

/** A linked rule of the row, if it has one with its metric. */
function linkedRule(row: RuleRow): EffectiveRule | undefined {
  const { ruleId, ruleMetricId, ruleWindow, comparator, target, weight } = row;
  if (!ruleId || !ruleMetricId || !ruleWindow || !comparator || target === null || weight === null) return;
  const name = row.ruleName ?? "";
  return {
    ruleId,
    name,
    metricId: ruleMetricId,
    metricKey: row.ruleMetricKey ?? "",
    window: ruleWindow,
    comparator,
    target,
    weight,
  };
}

/** The rewards of the achievements matching `where`, by achievement: one statement. */
export async function grantsOf(db: Executor, where: SQL | undefined): Promise<Map<string, Grant[]>> {
  const rows = await db
    .select({
      achievementId: achievementRewards.achievementId,
      quantity: achievementRewards.quantity,
      consumable: consumables,
    })
    .from(achievementRewards)
    .innerJoin(consumables, eq(consumables.id, achievementRewards.consumableId))
    .innerJoin(achievements, eq(achievements.id, achievementRewards.achievementId))
    .where(where);
  const grants = new Map<string, Grant[]>();
  for (const r of rows) {
    if (!grants.has(r.achievementId)) grants.set(r.achievementId, []);
    grants.get(r.achievementId)!.push({
      consumableId: r.consumable.id,
      name: r.consumable.name,
      type: r.consumable.type,
      quantity: r.quantity,
      unitValue: r.consumable.value,
    });
  }
  return grants;
}

export async function currentCatalogVersion(db: Executor): Promise<number> {
  const [row] = await db.select({ version: catalogVersion.version }).from(catalogVersion);
  return row?.version ?? 0;
}

/**
 * Tenants' catalogs, read once per process and catalog version (not once per event), so an event's cost
 * does not grow with the size of the catalog. The version is a database row that triggers move on with
 * every change (migration 0002). Least recently used dropped first: a few hundred tenants' worth is a
 * few megabytes.
 */
export class CatalogCache {
  private readonly cache = new LRUCache<string, Catalog>({ max: 500 });

  private keyOf(tenant: Pick<Tenant, "id" | "modules">) {
    return `${tenant.id}|${[...tenant.modules].sort().join(",")}`;
  }

  /** The tenant's catalog as this process last read it, whatever its version: no statement. */
  cached(tenant: Pick<Tenant, "id" | "modules">): Catalog | undefined {
    return this.cache.get(this.keyOf(tenant));
  }

  /** The tenant's catalog at `version` (read here when the caller has not): cached, or three statements. */
  async at(db: Executor, tenant: Tenant, version?: number): Promise<Catalog> {
    const current = version ?? (await currentCatalogVersion(db));
    const cached = this.cached(tenant);
    if (cached && cached.version === current) return cached;
    const metrics = await db.select().from(metricDefinitions).where(activeMetricsOf(tenant.id));
    const entries = await achievementsWithRules(db, availableTo(tenant));
    const rewards = await grantsOf(db, availableTo(tenant));
    const catalog = buildCatalog(current, metrics, entries, rewards);
    this.cache.set(this.keyOf(tenant), catalog);
    return catalog;
  }
}
