import { type Executor, rowsOf, schema } from "@laurel/db";
import {
  type Comparator,
  type MetricState,
  periodKey,
  progressOf,
  type RepeatPeriod,
  SYSTEM_EVENTS,
  windowKey,
} from "@laurel/engine";
import { and, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { applyEvents, cellId, inCells } from "../metric/metric-values.js";
import type { Catalog } from "./catalog.js";

const {
  achievements,
  achievementRuleLinks,
  achievementRules,
  achievementRewards,
  consumables,
  metricDefinitions,
} = schema;
const { userAchievements, rewardLedger, notifications, events, metricValues } = schema;

export type AchievementRow = typeof achievements.$inferSelect;
export type AwardRow = typeof userAchievements.$inferSelect;
export type Tenant = { id: string; timeZone: string; modules: string[] };

export type EffectiveRule = {
  ruleId: string | null;
  name: string;
  metricId: string;
  metricKey: string;
  window: (typeof metricDefinitions.$inferSelect)["window"];
  comparator: Comparator;
  target: number;
  weight: number;
};
export type AchievementWithRules = { achievement: AchievementRow; rules: EffectiveRule[] };

export type Grant = { consumableId: string; name: string; type: string; quantity: number; unitValue: number };
export type Award = AwardRow & { achievement: AchievementRow; rewards: Grant[] };
export type ProgressChange = {
  achievementId: string;
  periodKey: string;
  progress: number;
  completed: boolean;
};

/** Judged by events: everything but manual grants and the annual Wrapped badge. */
const EVENT_JUDGED = sql`${achievements.triggerType} not in ('manual', 'annual_summary')`;
/** Cascades (a badge-count badge earned by earning a badge) stop here: deeper is a loop. */
export const MAX_CASCADE = 4;

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
      ? or(isNull(achievements.requiresModule), inArray(achievements.requiresModule, tenant.modules))
      : isNull(achievements.requiresModule),
  )!;
}

export function notExpired(now: Date): SQL {
  return or(isNull(achievements.expiresAt), gt(achievements.expiresAt, now))!;
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
): Promise<AchievementWithRules[]> {
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
  const byId = new Map<string, AchievementWithRules>();
  for (const row of rows) {
    let entry = byId.get(row.achievement.id);
    if (!entry) {
      entry = { achievement: row.achievement, rules: [] };
      byId.set(row.achievement.id, entry);
      const a = row.achievement;
      if (a.triggerMetricId && a.triggerThreshold !== null && row.triggerWindow && row.triggerMetricKey) {
        entry.rules.push({
          ruleId: null,
          name: a.name,
          metricId: a.triggerMetricId,
          metricKey: row.triggerMetricKey,
          window: row.triggerWindow,
          comparator: "gte",
          target: a.triggerThreshold,
          weight: 100,
        });
      }
    }
    if (
      row.ruleId &&
      row.ruleMetricId &&
      row.ruleWindow &&
      row.comparator &&
      row.target !== null &&
      row.weight !== null
    ) {
      entry.rules.push({
        ruleId: row.ruleId,
        name: row.ruleName ?? "",
        metricId: row.ruleMetricId,
        metricKey: row.ruleMetricKey ?? "",
        window: row.ruleWindow,
        comparator: row.comparator,
        target: row.target,
        weight: row.weight,
      });
    }
  }
  return [...byId.values()];
}

/** The metric cells an achievement's rules read at an instant. */
export function cellsOf(entries: readonly AchievementWithRules[], at: Date, timeZone: string) {
  const cells = new Map<string, { metricId: string; windowKey: string }>();
  for (const { rules } of entries) {
    for (const rule of rules) {
      const key = windowKey(rule.window, at, timeZone);
      cells.set(cellId(rule.metricId, key), { metricId: rule.metricId, windowKey: key });
    }
  }
  return [...cells.values()];
}

export function progressFor(
  entry: AchievementWithRules,
  values: ReadonlyMap<string, { value: number }>,
  at: Date,
  timeZone: string,
) {
  return progressOf(
    entry.rules.map((rule) => ({
      comparator: rule.comparator,
      target: rule.target,
      weight: rule.weight,
      value: values.get(cellId(rule.metricId, windowKey(rule.window, at, timeZone)))?.value ?? 0,
    })),
  );
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

/**
 * What a user's judgement needs, in one statement: their rows for the candidate achievements (progress,
 * completion) and the metric cells the candidates' rules read.
 */
async function readStanding(
  db: Executor,
  userId: string,
  achievementIds: readonly string[],
  cells: readonly { metricId: string; windowKey: string }[],
) {
  const rows = await rowsOf<{
    kind: "a" | "m";
    id: string;
    k: string;
    progress: number | null;
    completed: boolean | null;
    value: number | null;
    state: MetricState["state"] | null;
  }>(
    db.execute(sql`
      select 'a' as kind, ${userAchievements.achievementId}::text as id, ${userAchievements.periodKey} as k,
             ${userAchievements.progress} as progress, ${userAchievements.completedAt} is not null as completed,
             null::float8 as value, null::jsonb as state
      from ${userAchievements}
      where ${userAchievements.userId} = ${userId}::uuid
        and ${userAchievements.achievementId} in (${sql.join(
          achievementIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
      ${
        cells.length > 0
          ? sql`union all
      select 'm', ${metricValues.metricId}::text, ${metricValues.windowKey}, null, null,
             ${metricValues.value}::float8, ${metricValues.state}
      from ${metricValues}
      where ${metricValues.userId} = ${userId}::uuid
        and ${inCells(cells)}`
          : sql``
      }`),
  );
  const stored = new Map<string, Standing>();
  const values = new Map<string, MetricState>();
  for (const row of rows) {
    if (row.kind === "a")
      stored.set(standingId(row.id, row.k), { progress: row.progress!, completedAt: row.completed! });
    else values.set(cellId(row.id, row.k), { value: Number(row.value), state: row.state ?? {} });
  }
  return { stored, values };
}

/** The catalog's achievements judged by events that read one of the changed metrics, unexpired at `now`. */
export function candidatesIn(
  catalog: Catalog,
  changedMetricIds: ReadonlySet<string>,
  now: Date,
): AchievementWithRules[] {
  const places = new Set<number>();
  for (const id of changedMetricIds) for (const place of catalog.readers.get(id) ?? []) places.add(place);
  // In catalog order, the order awards are made in.
  return [...places]
    .sort((a, b) => a - b)
    .map((place) => catalog.achievements[place]!)
    .filter(({ achievement: a }) => a.expiresAt === null || a.expiresAt > now);
}

/** The period an award of the achievement made at `at` falls in (`all` unless it repeats). */
export const periodOf = (a: AchievementRow, at: Date, timeZone: string) =>
  periodKey(a.repeatPeriod as RepeatPeriod | null, at, timeZone);

/** A user's row for an achievement in one period, as judging needs it; keyed by `standingId`. */
export type Standing = { progress: number; completedAt: boolean };
export const standingId = (achievementId: string, periodKey: string) => `${achievementId}|${periodKey}`;

/**
 * Judges candidates against the metric values (keyed `metricId|windowKey`) and the user's rows: pure.
 * Completed achievements are skipped in their period; progress is reported only where it moved.
 */
export function judge(
  candidates: readonly AchievementWithRules[],
  stored: ReadonlyMap<string, Standing>,
  values: ReadonlyMap<string, { value: number }>,
  at: Date,
  timeZone: string,
) {
  const progress: ProgressChange[] = [];
  const completions: { achievement: AchievementRow; periodKey: string }[] = [];
  for (const entry of candidates) {
    const period = periodOf(entry.achievement, at, timeZone);
    const row = stored.get(standingId(entry.achievement.id, period));
    if (row?.completedAt || entry.rules.length === 0) continue;
    const result = progressFor(entry, values, at, timeZone);
    if (result.completed) completions.push({ achievement: entry.achievement, periodKey: period });
    else if ((row?.progress ?? -1) !== result.progress) {
      progress.push({
        achievementId: entry.achievement.id,
        periodKey: period,
        progress: result.progress,
        completed: false,
      });
    }
  }
  return { progress, completions };
}

/** The rewards granted into the ledger for an award (its id is the user-achievement row's). */
export function ledgerRowsOf(achievement: AchievementRow, grants: readonly Grant[]) {
  return grants.map((g) => ({
    consumableId: g.consumableId,
    type: g.type as (typeof consumables.$inferSelect)["type"],
    quantity: g.quantity,
    unitValue: g.unitValue,
    description: `${g.name} for ${achievement.name}`,
  }));
}

/** The notification of an award: the badge, its points and rewards. */
export function notificationOf(achievement: AchievementRow, periodKey: string, rewards: readonly Grant[]) {
  const extras = [
    achievement.points ? `+${achievement.points} points` : "",
    ...rewards.map((r) => `${r.quantity} × ${r.name}`),
  ].filter(Boolean);
  return {
    type: "achievement_earned",
    title: `Badge earned: ${achievement.name}`,
    body: extras.length ? `${achievement.description} (${extras.join(", ")})` : achievement.description,
    data: {
      achievementId: achievement.id,
      key: achievement.key,
      points: achievement.points,
      periodKey,
      rewards,
    },
  };
}

/** The `achievement_earned` event of an award: it feeds the badge and point metrics. */
export function earnedEventOf(achievement: AchievementRow, at: Date) {
  return {
    type: SYSTEM_EVENTS.achievementEarned,
    value: achievement.points,
    attributes: { achievement: achievement.key, category: achievement.category },
    occurredAt: at,
  };
}

export type EvaluationOptions = {
  /** When the triggering event happened: windows and award periods are taken at this instant. */
  at: Date;
  now: Date;
  triggeringEventId?: string | null;
  notify?: boolean;
  depth?: number;
  /** The tenant's cached catalog (see catalog.ts); without it, what is needed is read. */
  catalog?: Catalog;
};

/**
 * Judges, for one user, the achievements whose rules read a metric that just changed, in the caller's
 * transaction (holding the user's lock). Completed achievements are not judged again in their period.
 */
export async function evaluate(
  db: Executor,
  tenant: Tenant,
  userId: string,
  changedMetricIds: ReadonlySet<string>,
  options: EvaluationOptions,
): Promise<{ progress: ProgressChange[]; awards: Award[] }> {
  if (changedMetricIds.size === 0) return { progress: [], awards: [] };
  const changed = [...changedMetricIds];
  const candidates = options.catalog
    ? candidatesIn(options.catalog, changedMetricIds, options.now)
    : await achievementsWithRules(
        db,
        and(
          availableTo(tenant),
          notExpired(options.now),
          EVENT_JUDGED,
          or(
            inArray(achievements.triggerMetricId, changed),
            inArray(
              achievements.id,
              db
                .select({ id: achievementRuleLinks.achievementId })
                .from(achievementRuleLinks)
                .innerJoin(achievementRules, eq(achievementRules.id, achievementRuleLinks.ruleId))
                .where(inArray(achievementRules.metricId, changed)),
            ),
          ),
        ),
      );
  if (candidates.length === 0) return { progress: [], awards: [] };

  const { stored, values } = await readStanding(
    db,
    userId,
    candidates.map((c) => c.achievement.id),
    cellsOf(candidates, options.at, tenant.timeZone),
  );
  const { progress, completions } = judge(candidates, stored, values, options.at, tenant.timeZone);
  // With awards to make, the progress rows go in the awards' statement; without, in their own.
  if (progress.length > 0 && completions.length === 0) {
    await db
      .insert(userAchievements)
      .values(
        progress.map((p) => ({
          organizationId: tenant.id,
          userId,
          achievementId: p.achievementId,
          periodKey: p.periodKey,
          progress: p.progress,
        })),
      )
      .onConflictDoUpdate({
        target: [userAchievements.userId, userAchievements.achievementId, userAchievements.periodKey],
        set: { progress: sql`excluded.progress`, updatedAt: options.now },
        setWhere: isNull(userAchievements.completedAt),
      });
  }
  const awards = await awardAll(db, tenant, userId, completions, { ...options, progress });
  for (const award of awards)
    progress.push({
      achievementId: award.achievementId,
      periodKey: award.periodKey,
      progress: 100,
      completed: true,
    });
  return { progress, awards };
}

/**
 * Completes achievements for a user, exactly once per achievement and period: the award row, its
 * points, every reward into the ledger and one notification, in the caller's transaction. The unique
 * index on (user, achievement, period) and the `completed_at is null` guard make a second completion
 * a no-op, whatever races. Then the award feeds the badge and point metrics, which may complete more.
 */
export async function awardAll(
  db: Executor,
  tenant: Tenant,
  userId: string,
  items: readonly { achievement: AchievementRow; periodKey: string }[],
  options: EvaluationOptions & {
    grantedById?: string | null;
    /** Progress of other achievements to store in the same statement. */
    progress?: readonly ProgressChange[];
  },
): Promise<Award[]> {
  if (items.length === 0) return [];
  const written = await db
    .insert(userAchievements)
    .values([
      ...items.map(({ achievement, periodKey: period }) => ({
        organizationId: tenant.id,
        userId,
        achievementId: achievement.id,
        periodKey: period,
        progress: 100,
        // Earned when it happened: an activity logged late for last week earns its badge last week.
        completedAt: options.at < options.now ? options.at : options.now,
        pointsAwarded: achievement.points,
        triggeringEventId: options.triggeringEventId ?? null,
        grantedById: options.grantedById ?? null,
      })),
      // Not completed: these set only the progress (the other columns of an open row are empty).
      ...(options.progress ?? []).map((p) => ({
        organizationId: tenant.id,
        userId,
        achievementId: p.achievementId,
        periodKey: p.periodKey,
        progress: p.progress,
        completedAt: null,
        pointsAwarded: 0,
        triggeringEventId: null,
        grantedById: null,
      })),
    ])
    .onConflictDoUpdate({
      target: [userAchievements.userId, userAchievements.achievementId, userAchievements.periodKey],
      set: {
        progress: sql`excluded.progress`,
        completedAt: sql`excluded.completed_at`,
        pointsAwarded: sql`excluded.points_awarded`,
        triggeringEventId: sql`excluded.triggering_event_id`,
        grantedById: sql`excluded.granted_by_id`,
        updatedAt: options.now,
      },
      setWhere: isNull(userAchievements.completedAt),
    })
    .returning();
  const made = written.filter((row) => row.completedAt !== null);
  if (made.length === 0) return [];
  const byAchievement = new Map(items.map((i) => [i.achievement.id, i.achievement]));

  const catalog = options.catalog;
  const rewards =
    catalog && made.every((m) => catalog.byId.has(m.achievementId))
      ? catalog.rewards
      : await grantsOf(
          db,
          inArray(
            achievementRewards.achievementId,
            made.map((m) => m.achievementId),
          ),
        );
  const grants = new Map(made.map((award) => [award.id, [...(rewards.get(award.achievementId) ?? [])]]));
  const ledger = made.flatMap((award) =>
    ledgerRowsOf(byAchievement.get(award.achievementId)!, grants.get(award.id)!).map((row) => ({
      ...row,
      organizationId: tenant.id,
      userId,
      userAchievementId: award.id,
    })),
  );
  if (ledger.length > 0) await db.insert(rewardLedger).values(ledger).onConflictDoNothing();

  if (options.notify !== false) {
    await db
      .insert(notifications)
      .values(
        made.map((award) => ({
          ...notificationOf(byAchievement.get(award.achievementId)!, award.periodKey, grants.get(award.id)!),
          organizationId: tenant.id,
          userId,
          userAchievementId: award.id,
        })),
      )
      .onConflictDoNothing();
  }

  // Earning a badge is an event too: it feeds "badges earned" and "points", which other badges may read.
  const earned = await db
    .insert(events)
    .values(
      made.map((award) => ({
        ...earnedEventOf(byAchievement.get(award.achievementId)!, options.at),
        value: award.pointsAwarded,
        organizationId: tenant.id,
        userId,
        source: "system" as const,
        idempotencyKey: `award:${award.id}`,
      })),
    )
    .returning({
      id: events.id,
      type: events.type,
      value: events.value,
      attributes: events.attributes,
      occurredAt: events.occurredAt,
    });
  const awards: Award[] = made.map((m) => ({
    ...m,
    achievement: byAchievement.get(m.achievementId)!,
    rewards: grants.get(m.id)!,
  }));
  // The badge and point metrics always count the award; judging what they complete stops at the depth.
  const depth = options.depth ?? 0;
  const changed = await applyEvents(db, tenant, userId, earned, options.now, options.catalog);
  if (depth < MAX_CASCADE) {
    const more = await evaluate(db, tenant, userId, changed, {
      ...options,
      depth: depth + 1,
      grantedById: undefined,
    } as EvaluationOptions);
    awards.push(...more.awards);
  }
  return awards;
}
