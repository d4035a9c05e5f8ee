import { schema } from "@laurel/db";
import { registerEnumType } from "type-graphql";

/** GraphQL enums with the database's values, so the API and the schema can never disagree. */
function enumOf<const T extends readonly string[]>(values: T, name: string, description: string) {
  const object = Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
  registerEnumType(object, { name, description });
  return object;
}

export const MetricAggregation = enumOf(
  schema.metricAggregations,
  "MetricAggregation",
  "How a metric folds its events",
);
export const MetricWindow = enumOf(
  schema.metricWindows,
  "MetricWindow",
  "The calendar window a metric counts in",
);
export const StreakUnit = enumOf(
  schema.streakUnits,
  "StreakUnit",
  "What a streak counts: events in a row or days in a row",
);
export const Comparator = enumOf(
  schema.comparators,
  "Comparator",
  "gte (>=), gt (>), lte (<=), lt (<), eq (=), bool (true/false)",
);
export const AchievementCategory = enumOf(
  schema.achievementCategories,
  "AchievementCategory",
  "Groups badges on the badges screen",
);
export const TriggerType = enumOf(schema.triggerTypes, "TriggerType", "What can unlock an achievement");
export const RepeatPeriod = enumOf(
  schema.repeatPeriods,
  "RepeatPeriod",
  "When a repeatable achievement can be earned again",
);
export const ConsumableType = enumOf(schema.consumableTypes, "ConsumableType", "The kind of reward");
export const BackfillStatus = enumOf(schema.backfillStatuses, "BackfillStatus", "Where a background run is");
