import { type Executor, schema } from "@laurel/db";
import { LRUCache } from "lru-cache";
import { activeMetricsOf, type MetricRow } from "../metric/metric-values.js";
import {
  type AchievementWithRules,
  achievementsWithRules,
  availableTo,
  type Grant,
  grantsOf,
  type Tenant,
} from "./evaluation.service.js";

const { metricDefinitions, catalogVersion } = schema;

/**
 * What the intake judges a tenant's events by: its active metrics, its available achievements with their
 * rules, and their rewards. Read once per process and catalog version (not once per event), so an
 * event's cost does not grow with the size of the catalog. The version is a database row that triggers
 * move on with every change (migration 0002); the intake reads it in the statement that locks the user.
 */
export type Catalog = {
  version: number;
  metrics: readonly MetricRow[];
  achievements: readonly AchievementWithRules[];
  rewards: ReadonlyMap<string, readonly Grant[]>;
  /** The achievements above, by id. */
  byId: ReadonlyMap<string, AchievementWithRules>;
  /**
   * The achievements events judge (neither manual nor Wrapped's), as places in `achievements`, by each
   * metric they read (their trigger metric and their rules'): an event's candidates without a pass over
   * the whole catalog.
   */
  readers: ReadonlyMap<string, readonly number[]>;
};

function readersOf(entries: readonly AchievementWithRules[]) {
  const readers = new Map<string, number[]>();
  entries.forEach(({ achievement: a, rules }, place) => {
    if (a.triggerType === "manual" || a.triggerType === "annual_summary") return;
    const metrics = new Set(rules.map((r) => r.metricId));
    if (a.triggerMetricId !== null) metrics.add(a.triggerMetricId);
    for (const id of metrics) {
      const places = readers.get(id);
      if (places) places.push(place);
      else readers.set(id, [place]);
    }
  });
  return readers;
}

/** Tenants' catalogs, least recently used dropped first; a few hundred tenants' worth is a few megabytes. */
const cache = new LRUCache<string, Catalog>({ max: 500 });

export async function currentCatalogVersion(db: Executor): Promise<number> {
  const [row] = await db.select({ version: catalogVersion.version }).from(catalogVersion);
  return row?.version ?? 0;
}

const keyOf = (tenant: Pick<Tenant, "id" | "modules">) =>
  `${tenant.id}|${[...tenant.modules].sort().join(",")}`;

/** The tenant's catalog as this process last read it, whatever its version: no statement. */
export function cachedCatalog(tenant: Pick<Tenant, "id" | "modules">): Catalog | undefined {
  return cache.get(keyOf(tenant));
}

/**
 * The tenant's catalog at `version` (read here when the caller has not). A cached copy of that version
 * is returned as it is; otherwise three statements load it.
 */
export async function catalogFor(db: Executor, tenant: Tenant, version?: number): Promise<Catalog> {
  const current = version ?? (await currentCatalogVersion(db));
  const key = keyOf(tenant);
  const cached = cache.get(key);
  if (cached && cached.version === current) return cached;
  const metrics = await db.select().from(metricDefinitions).where(activeMetricsOf(tenant.id));
  const entries = await achievementsWithRules(db, availableTo(tenant));
  const rewards = await grantsOf(db, availableTo(tenant));
  const catalog: Catalog = {
    version: current,
    metrics,
    achievements: entries,
    rewards,
    byId: new Map(entries.map((e) => [e.achievement.id, e])),
    readers: readersOf(entries),
  };
  cache.set(key, catalog);
  return catalog;
}
