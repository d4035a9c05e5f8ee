import { type Database, schema } from "@laurel/db";
import DataLoader from "dataloader";
import { and, inArray, type SQL } from "drizzle-orm";
import type { PgTableWithColumns } from "drizzle-orm/pg-core";

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];

/**
 * A loader of rows by id: one `where id in (...)` per request tick, whatever the number of lookups.
 * `scope` narrows it to the rows the viewer may see: a row outside it loads as null.
 */
function byId<T extends PgTableWithColumns<any>>(
  db: Database,
  table: T,
  scope?: () => Promise<SQL | undefined>,
) {
  return new DataLoader<string, Row<T> | null>(async (ids) => {
    const rows = (await db
      .select()
      .from(table as PgTableWithColumns<any>)
      .where(and(inArray(table.id, [...ids]), await scope?.()))) as Row<T>[];
    const found = new Map(rows.map((row) => [(row as { id: string }).id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** A loader of the rows belonging to each key (an achievement's rule links, say), in one query. */
function groupedBy<T extends Record<string, unknown>>(load: (keys: string[]) => Promise<T[]>, key: keyof T) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await load([...keys]);
    return keys.map((k) => rows.filter((row) => row[key] === k));
  });
}

/** What the viewer may see of tables whose rows are not all for everyone of a tenant (scoring/visibility.ts). */
export type LoaderScopes = {
  achievements: () => Promise<SQL | undefined>;
  rules: () => Promise<SQL | undefined>;
};

/** Per-request loaders: created with the request's context and dropped with it. */
export function createLoaders(db: Database, scopes: LoaderScopes) {
  return {
    organization: byId(db, schema.organizations),
    role: byId(db, schema.roles),
    user: byId(db, schema.users),
    activityType: byId(db, schema.activityTypes),
    metric: byId(db, schema.metricDefinitions),
    // Achievements and rules reached through other rows (an award's achievement, an achievement's rules)
    // obey the same visibility rule as the queries that list them.
    rule: byId(db, schema.achievementRules, scopes.rules),
    achievement: byId(db, schema.achievements, scopes.achievements),
    consumable: byId(db, schema.consumables),
    ruleLinksByAchievement: groupedBy(
      (ids) =>
        db
          .select()
          .from(schema.achievementRuleLinks)
          .where(inArray(schema.achievementRuleLinks.achievementId, ids)),
      "achievementId",
    ),
    ledgerByAward: groupedBy(
      (ids) =>
        db.select().from(schema.rewardLedger).where(inArray(schema.rewardLedger.userAchievementId, ids)),
      "userAchievementId",
    ),
    rewardsByAchievement: groupedBy(
      (ids) =>
        db
          .select()
          .from(schema.achievementRewards)
          .where(inArray(schema.achievementRewards.achievementId, ids)),
      "achievementId",
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
