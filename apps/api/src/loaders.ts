import { type Database, schema } from "@laurel/db";
import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import type { PgTableWithColumns } from "drizzle-orm/pg-core";

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];

/** A loader of rows by id: one `where id in (...)` per request tick, whatever the number of lookups. */
function byId<T extends PgTableWithColumns<any>>(db: Database, table: T) {
  return new DataLoader<string, Row<T> | null>(async (ids) => {
    const rows = (await db
      .select()
      .from(table as PgTableWithColumns<any>)
      .where(inArray(table.id, [...ids]))) as Row<T>[];
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

/** Per-request loaders: created with the request's context and dropped with it. */
export function createLoaders(db: Database) {
  return {
    organization: byId(db, schema.organizations),
    role: byId(db, schema.roles),
    user: byId(db, schema.users),
    activityType: byId(db, schema.activityTypes),
    metric: byId(db, schema.metricDefinitions),
    rule: byId(db, schema.achievementRules),
    achievement: byId(db, schema.achievements),
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
