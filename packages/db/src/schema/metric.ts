import { relations, sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, emptyJsonObject, emptyTextArray, id, updatedAt } from "./columns.js";
import { organizations } from "./organization.js";

export const metricAggregations = [
  "count",
  "sum",
  "max",
  "latest",
  "distinct",
  "current_streak",
  "longest_streak",
  "boolean",
] as const;
export const metricWindows = ["all_time", "calendar_year", "calendar_month", "calendar_week"] as const;
export const streakUnits = ["events", "days"] as const;

export const metricAggregationEnum = pgEnum("metric_aggregation", metricAggregations);
export const metricWindowEnum = pgEnum("metric_window", metricWindows);
export const streakUnitEnum = pgEnum("streak_unit", streakUnits);

/**
 * A number per user derived from events. Platform metrics (`organization_id` NULL) ship with Laurel;
 * an admin adds an organization's own without code.
 */
export const metricDefinitions = pgTable(
  "metric_definitions",
  {
    id: id(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** Event types that feed the metric. */
    eventTypes: text("event_types").array().notNull(),
    aggregation: metricAggregationEnum("aggregation").notNull(),
    /** The attribute whose distinct values are counted (`distinct` only). */
    distinctAttribute: text("distinct_attribute"),
    /** Attribute equalities an event must match, e.g. `{"activity_type": "home_visit"}`. */
    filter: jsonb("filter")
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default(emptyJsonObject),
    window: metricWindowEnum("window").notNull().default("all_time"),
    /** Streaks: consecutive events, or consecutive calendar days with at least one event. */
    streakUnit: streakUnitEnum("streak_unit"),
    /** Streaks of events: event types that break the run (a `match_lost` ends a win streak). */
    resetEventTypes: text("reset_event_types").array().notNull().default(emptyTextArray),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("metric_definitions_org_key_key").on(t.organizationId, t.key).nullsNotDistinct(),
    index("metric_definitions_event_types_idx").using("gin", t.eventTypes),
    check("metric_definitions_key_format", sql`${t.key} ~ '^[a-z][a-z0-9_]*$'`),
    check("metric_definitions_name_not_empty", sql`length(btrim(${t.name})) > 0`),
    check("metric_definitions_event_types_not_empty", sql`cardinality(${t.eventTypes}) > 0`),
    check(
      "metric_definitions_distinct_needs_attribute",
      sql`(${t.aggregation} = 'distinct') = (${t.distinctAttribute} is not null)`,
    ),
    check(
      "metric_definitions_streak_needs_unit",
      sql`(${t.aggregation} in ('current_streak', 'longest_streak')) = (${t.streakUnit} is not null)`,
    ),
  ],
);

/**
 * The current value of a metric for a user in one window (`all`, `2026`, `2026-03`, `2026-W09`),
 * kept up to date as events arrive so judging an event never reads the user's history.
 */
export const metricValues = pgTable(
  "metric_values",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    metricId: uuid("metric_id")
      .notNull()
      .references(() => metricDefinitions.id, { onDelete: "cascade" }),
    windowKey: text("window_key").notNull(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    value: numeric("value", { mode: "number" }).notNull().default(0),
    /** Aggregation state beyond the value: the last day and run of a streak, the time of the latest value. */
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default(emptyJsonObject),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "metric_values_pkey", columns: [t.userId, t.metricId, t.windowKey] }),
    // No other index. Every read goes by user, through the primary key; an index on the metric (for its
    // foreign key) would match the intake's look-ups by user, metric and window as well as the key does
    // while the table has no statistics yet, and the planner could take it and read every user's cells.
    // Deleting a metric definition, rare, scans the table instead. Not on the value either: a value in an
    // index makes every update of it a new index entry (no HOT update).
  ],
);

/** Members seen by a `distinct` metric, so counting a new one is one insert, not a scan. */
export const metricDistinctMembers = pgTable(
  "metric_distinct_members",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    metricId: uuid("metric_id")
      .notNull()
      .references(() => metricDefinitions.id, { onDelete: "cascade" }),
    windowKey: text("window_key").notNull(),
    member: text("member").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({
      name: "metric_distinct_members_pkey",
      columns: [t.userId, t.metricId, t.windowKey, t.member],
    }),
  ],
);

export const metricDefinitionsRelations = relations(metricDefinitions, ({ one }) => ({
  organization: one(organizations, {
    fields: [metricDefinitions.organizationId],
    references: [organizations.id],
  }),
}));
