import type { schema } from "@laurel/db";

/** Rows of the tables several layers pass around, typed once. */
export type AchievementRow = typeof schema.achievements.$inferSelect;
export type MetricRow = typeof schema.metricDefinitions.$inferSelect;
