import type { Grant, Judged, ScoredAchievement, ScoredMetric } from "./model.js";
import { isEventJudged } from "./model.js";

/**
 * What a tenant's events are judged by: its active metrics, its available achievements with their rules,
 * and their rewards, at one catalog version. The scoring layer reads it once per process and version.
 */
export type Catalog<A extends ScoredAchievement = ScoredAchievement> = {
  version: number;
  metrics: readonly ScoredMetric[];
  /** In award order (category, sort order, id). */
  achievements: readonly Judged<A>[];
  rewards: ReadonlyMap<string, readonly Grant[]>;
  /** The achievements above, by id. */
  byId: ReadonlyMap<string, Judged<A>>;
  /**
   * The achievements events judge, as places in `achievements`, by each metric they read (their trigger
   * metric and their rules'): an event's candidates without a pass over the whole catalog.
   */
  readers: ReadonlyMap<string, readonly number[]>;
};

export function buildCatalog<A extends ScoredAchievement>(
  version: number,
  metrics: readonly ScoredMetric[],
  achievements: readonly Judged<A>[],
  rewards: ReadonlyMap<string, readonly Grant[]>,
): Catalog<A> {
  const readers = new Map<string, number[]>();
  achievements.forEach(({ achievement: a, rules }, place) => {
    if (!isEventJudged(a)) return;
    const read = new Set(rules.map((r) => r.metricId));
    if (a.triggerMetricId !== null) read.add(a.triggerMetricId);
    for (const id of read) {
      const places = readers.get(id);
      if (places) places.push(place);
      else readers.set(id, [place]);
    }
  });
  return {
    version,
    metrics,
    achievements,
    rewards,
    byId: new Map(achievements.map((e) => [e.achievement.id, e])),
    readers,
  };
}

/** The catalog's achievements judged by events that read one of the changed metrics, unexpired at `now`. */
export function candidatesIn<A extends ScoredAchievement>(
  catalog: Catalog<A>,
  changedMetricIds: ReadonlySet<string>,
  now: Date,
): Judged<A>[] {
  const places = new Set<number>();
  for (const id of changedMetricIds) for (const place of catalog.readers.get(id) ?? []) places.add(place);
  // In catalog order, the order awards are made in.
  return [...places]
    .sort((a, b) => a - b)
    .map((place) => catalog.achievements[place]!)
    .filter(({ achievement: a }) => a.expiresAt === null || a.expiresAt > now);
}
