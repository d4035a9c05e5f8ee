import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, id, timestamptz, updatedAt } from "./columns.js";
import { events } from "./event.js";
import { metricDefinitions } from "./metric.js";
import { organizations } from "./organization.js";

export const comparators = ["gte", "gt", "lte", "lt", "eq", "bool"] as const;
export const achievementCategories = [
  "milestone",
  "activity",
  "streak",
  "social",
  "events",
  "annual",
  "trading",
  "competition",
  "special",
] as const;
/** Count-based triggers are shorthand for one rule of weight 100 on a shipped metric; they need a threshold. */
export const countTriggerTypes = [
  "activity_count",
  "hours_total",
  "contacts_reached",
  "events_attended",
  "streak_days",
  "points_total",
  "badges_earned",
] as const;
export const triggerTypes = [...countTriggerTypes, "rules", "manual", "annual_summary"] as const;
/** A repeatable achievement resets each calendar week, month or year (in the organization's zone). */
export const repeatPeriods = ["weekly", "monthly", "yearly"] as const;
export const consumableTypes = ["exp", "points", "item", "currency", "boost"] as const;

export const comparatorEnum = pgEnum("comparator", comparators);
export const achievementCategoryEnum = pgEnum("achievement_category", achievementCategories);
export const triggerTypeEnum = pgEnum("trigger_type", triggerTypes);
export const repeatPeriodEnum = pgEnum("repeat_period", repeatPeriods);
export const consumableTypeEnum = pgEnum("consumable_type", consumableTypes);

/** One condition on one metric, with its share (weight) of an achievement's progress. */
export const achievementRules = pgTable(
  "achievement_rules",
  {
    id: id(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    metricId: uuid("metric_id")
      .notNull()
      .references(() => metricDefinitions.id, { onDelete: "restrict" }),
    comparator: comparatorEnum("comparator").notNull(),
    target: numeric("target", { mode: "number" }).notNull(),
    weight: integer("weight").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("achievement_rules_org_idx").on(t.organizationId),
    index("achievement_rules_metric_idx").on(t.metricId),
    check("achievement_rules_weight_range", sql`${t.weight} between 0 and 100`),
    check("achievement_rules_name_not_empty", sql`length(btrim(${t.name})) > 0`),
  ],
);

/** An achievement (badge) definition: seed 000's fields and seed 001's hidden, expiry, rules and rewards. */
export const achievements = pgTable(
  "achievements",
  {
    id: id(),
    /** NULL: platform-wide, created and changed by Global Administrators only. */
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    iconUrl: text("icon_url"),
    category: achievementCategoryEnum("category").notNull(),
    triggerType: triggerTypeEnum("trigger_type").notNull(),
    triggerThreshold: integer("trigger_threshold"),
    triggerMetadata: jsonb("trigger_metadata").$type<Record<string, unknown>>(),
    /**
     * For count-based triggers: the metric the threshold applies to (the shipped one, or one derived
     * from `trigger_metadata`'s filter and period), resolved when the achievement is saved.
     */
    triggerMetricId: uuid("trigger_metric_id").references(() => metricDefinitions.id, {
      onDelete: "restrict",
    }),
    points: integer("points").notNull().default(0),
    isRepeatable: boolean("is_repeatable").notNull().default(false),
    repeatPeriod: repeatPeriodEnum("repeat_period"),
    isActive: boolean("is_active").notNull().default(true),
    isHidden: boolean("is_hidden").notNull().default(false),
    expiresAt: timestamptz("expires_at"),
    requiresModule: text("requires_module"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("idx_achievements_org_key").on(t.organizationId, t.key).nullsNotDistinct(),
    index("idx_achievements_category").on(t.category, t.sortOrder),
    index("idx_achievements_trigger_type").on(t.triggerType, t.isActive),
    index("idx_achievements_org_active").on(t.organizationId, t.isActive),
    index("achievements_trigger_metric_idx").on(t.triggerMetricId),
    check("achievements_key_format", sql`${t.key} ~ '^[a-z][a-z0-9_]{0,63}$'`),
    check("achievements_name_not_empty", sql`length(btrim(${t.name})) > 0`),
    check("achievements_points_non_negative", sql`${t.points} >= 0`),
    check(
      "achievements_repeat_period_requires_repeatable",
      sql`${t.repeatPeriod} is null or ${t.isRepeatable}`,
    ),
    check(
      "achievements_threshold_required_for_count_triggers",
      sql`${t.triggerType} not in (${sql.raw(countTriggerTypes.map((v) => `'${v}'`).join(", "))}) or coalesce(${t.triggerThreshold}, 0) > 0`,
    ),
  ],
);

export const achievementRuleLinks = pgTable(
  "achievement_rule_links",
  {
    achievementId: uuid("achievement_id")
      .notNull()
      .references(() => achievements.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => achievementRules.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ name: "achievement_rule_links_pkey", columns: [t.achievementId, t.ruleId] }),
    index("achievement_rule_links_rule_idx").on(t.ruleId),
  ],
);

/** A reward item granted on completion (seed 001's "50 XP Boost"). */
export const consumables = pgTable(
  "consumables",
  {
    id: id(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: consumableTypeEnum("type").notNull(),
    value: numeric("value", { mode: "number" }).notNull(),
    description: text("description"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("consumables_org_idx").on(t.organizationId),
    check("consumables_name_not_empty", sql`length(btrim(${t.name})) > 0`),
    check("consumables_value_non_negative", sql`${t.value} >= 0`),
  ],
);

export const achievementRewards = pgTable(
  "achievement_rewards",
  {
    achievementId: uuid("achievement_id")
      .notNull()
      .references(() => achievements.id, { onDelete: "cascade" }),
    consumableId: uuid("consumable_id")
      .notNull()
      .references(() => consumables.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull().default(1),
  },
  (t) => [
    primaryKey({ name: "achievement_rewards_pkey", columns: [t.achievementId, t.consumableId] }),
    check("achievement_rewards_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/**
 * A user's progress on an achievement in one period (`all` unless it repeats), and its award:
 * `completed_at` is set once, and the unique index makes a second award impossible.
 */
export const userAchievements = pgTable(
  "user_achievements",
  {
    id: id(),
    // No key of its own to organizations: the composite key to (user, organization) below holds it, and
    // one foreign-key check less is a cheaper intake.
    organizationId: uuid("organization_id").notNull(),
    userId: uuid("user_id").notNull(),
    achievementId: uuid("achievement_id")
      .notNull()
      .references(() => achievements.id, { onDelete: "cascade" }),
    periodKey: text("period_key").notNull().default("all"),
    progress: smallint("progress").notNull().default(0),
    completedAt: timestamptz("completed_at"),
    pointsAwarded: integer("points_awarded").notNull().default(0),
    /** The event whose intake completed it; a replayed event returns the same awards. */
    triggeringEventId: uuid("triggering_event_id").references(() => events.id, { onDelete: "set null" }),
    grantedById: uuid("granted_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "user_achievements_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("user_achievements_user_achievement_period_key").on(t.userId, t.achievementId, t.periodKey),
    // Awards only, like the two below. A full index on the achievement would also match the intake's look-up
    // of a progress row by its unique key, and a plan made without statistics could take it for that key.
    index("user_achievements_achievement_completed_idx")
      .on(t.achievementId, t.completedAt)
      .where(sql`${t.completedAt} is not null`),
    // A tenant's rows of one achievement, awards and progress (the admin's lists). The intake never
    // names the organization, so this is no candidate for its look-up by key.
    index("user_achievements_org_achievement_idx").on(t.organizationId, t.achievementId),
    // Awards only: the dashboards' awards by organization and time.
    index("user_achievements_org_completed_idx")
      .on(t.organizationId, t.completedAt)
      .where(sql`${t.completedAt} is not null`),
    // Awards only (a replay finds its awards by event): progress rows have no event.
    index("user_achievements_event_idx")
      .on(t.triggeringEventId)
      .where(sql`${t.triggeringEventId} is not null`),
    check("user_achievements_progress_range", sql`${t.progress} between 0 and 100`),
    check("user_achievements_points_non_negative", sql`${t.pointsAwarded} >= 0`),
    check("user_achievements_completed_is_full", sql`${t.completedAt} is null or ${t.progress} = 100`),
  ],
);

/** Rewards granted into a user's ledger: one row per reward of an award, never two. */
export const rewardLedger = pgTable(
  "reward_ledger",
  {
    id: id(),
    // No key of its own to organizations: the composite key to (user, organization) below holds it, and
    // one foreign-key check less is a cheaper intake.
    organizationId: uuid("organization_id").notNull(),
    userId: uuid("user_id").notNull(),
    userAchievementId: uuid("user_achievement_id").references(() => userAchievements.id, {
      onDelete: "cascade",
    }),
    consumableId: uuid("consumable_id").references(() => consumables.id, { onDelete: "set null" }),
    type: consumableTypeEnum("type").notNull(),
    quantity: integer("quantity").notNull(),
    /** Value of one unit at the time of the grant; the consumable may change later. */
    unitValue: numeric("unit_value", { mode: "number" }).notNull(),
    description: text("description").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "reward_ledger_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("reward_ledger_award_consumable_key").on(t.userAchievementId, t.consumableId),
    index("reward_ledger_user_created_idx").on(t.userId, t.createdAt),
    check("reward_ledger_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

export const backfillStatuses = ["pending", "running", "done", "failed"] as const;
export const backfillStatusEnum = pgEnum("backfill_status", backfillStatuses);
export const backfillKinds = ["achievement", "metric"] as const;
export const backfillKindEnum = pgEnum("backfill_kind", backfillKinds);

/**
 * Background work on history: award an achievement to the users who already qualify (after it is
 * created, activated or its rules change), or compute a new or changed metric from past events.
 */
export const backfillRuns = pgTable(
  "backfill_runs",
  {
    id: id(),
    kind: backfillKindEnum("kind").notNull().default("achievement"),
    achievementId: uuid("achievement_id").references(() => achievements.id, { onDelete: "cascade" }),
    metricId: uuid("metric_id").references(() => metricDefinitions.id, { onDelete: "cascade" }),
    /** The tenant it runs for; NULL for a platform-wide achievement run across every tenant. */
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    requestedById: uuid("requested_by_id").references(() => users.id, { onDelete: "set null" }),
    notifyUsers: boolean("notify_users").notNull().default(false),
    dryRun: boolean("dry_run").notNull().default(false),
    status: backfillStatusEnum("status").notNull().default("pending"),
    matchedCount: integer("matched_count"),
    awardedCount: integer("awarded_count"),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    index("backfill_runs_status_idx").on(t.status, t.createdAt),
    index("backfill_runs_achievement_idx").on(t.achievementId),
    check(
      "backfill_runs_target",
      sql`(${t.kind} = 'achievement' and ${t.achievementId} is not null) or (${t.kind} = 'metric' and ${t.metricId} is not null)`,
    ),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    // No key of its own to organizations: the composite key to (user, organization) below holds it, and
    // one foreign-key check less is a cheaper intake.
    organizationId: uuid("organization_id").notNull(),
    userId: uuid("user_id").notNull(),
    type: text("type").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
    /** At most one notification per award. */
    userAchievementId: uuid("user_achievement_id").references(() => userAchievements.id, {
      onDelete: "cascade",
    }),
    readAt: timestamptz("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "notifications_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("notifications_user_achievement_key").on(t.userAchievementId),
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
  ],
);

export const achievementRulesRelations = relations(achievementRules, ({ one }) => ({
  metric: one(metricDefinitions, { fields: [achievementRules.metricId], references: [metricDefinitions.id] }),
}));

export const achievementsRelations = relations(achievements, ({ many }) => ({
  ruleLinks: many(achievementRuleLinks),
  rewards: many(achievementRewards),
}));

export const achievementRuleLinksRelations = relations(achievementRuleLinks, ({ one }) => ({
  achievement: one(achievements, {
    fields: [achievementRuleLinks.achievementId],
    references: [achievements.id],
  }),
  rule: one(achievementRules, { fields: [achievementRuleLinks.ruleId], references: [achievementRules.id] }),
}));

export const achievementRewardsRelations = relations(achievementRewards, ({ one }) => ({
  achievement: one(achievements, {
    fields: [achievementRewards.achievementId],
    references: [achievements.id],
  }),
  consumable: one(consumables, { fields: [achievementRewards.consumableId], references: [consumables.id] }),
}));

export const userAchievementsRelations = relations(userAchievements, ({ one }) => ({
  achievement: one(achievements, { fields: [userAchievements.achievementId], references: [achievements.id] }),
  user: one(users, { fields: [userAchievements.userId], references: [users.id] }),
}));

/**
 * One row, bumped by statement triggers (migration 0002) on every change to what the intake judges by:
 * metric definitions, rules, achievements, their rule links and rewards, consumables. Each API process
 * caches that catalog and reads this number in the statement that locks the user, so a change made
 * through any process, or by hand in SQL, is seen by the next event.
 */
export const catalogVersion = pgTable(
  "catalog_version",
  {
    id: smallint("id").primaryKey().default(1),
    version: bigint("version", { mode: "number" }).notNull().default(0),
  },
  (t) => [check("catalog_version_one_row", sql`${t.id} = 1`)],
);
