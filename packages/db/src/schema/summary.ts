import { relations, sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, id, timestamptz, updatedAt } from "./columns.js";
import { organizations } from "./organization.js";

export const generationStatuses = ["pending", "processing", "ready", "failed"] as const;
export const generationStatusEnum = pgEnum("generation_status", generationStatuses);

export type HighlightMoment = {
  type: string;
  date: string;
  description: string;
  preview?: boolean;
  /** badge_earned: the badge the moment names (see the API's achievement visibility). */
  achievementId?: string;
};

/** Seed 002: one peer mentor's Wrapped for one calendar year, in the organization's time zone. */
export const annualSummaries = pgTable(
  "annual_summaries",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    totalActivities: integer("total_activities").notNull().default(0),
    totalHours: numeric("total_hours", { precision: 10, scale: 2, mode: "number" }).notNull().default(0),
    totalContactsReached: integer("total_contacts_reached").notNull().default(0),
    totalEventsAttended: integer("total_events_attended").notNull().default(0),
    badgesEarnedCount: integer("badges_earned_count").notNull().default(0),
    topActivityType: text("top_activity_type"),
    mostActiveMonth: integer("most_active_month"),
    streakDays: integer("streak_days"),
    highlightMoments: jsonb("highlight_moments").$type<HighlightMoment[]>(),
    monthlyActivityCounts: jsonb("monthly_activity_counts").$type<number[]>(),
    generationStatus: generationStatusEnum("generation_status").notNull().default("pending"),
    /** A year-to-date preview of the current year, never a full-year total. */
    isPreview: boolean("is_preview").notNull().default(false),
    generatedAt: timestamptz("generated_at"),
    viewedAt: timestamptz("viewed_at"),
    /** Failed generations: how many tries so far and why the last one failed. */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // org_tenant_matches_user: the summary's organization is its user's.
    foreignKey({
      name: "annual_summaries_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("idx_annual_summaries_user_year").on(t.userId, t.year),
    index("idx_annual_summaries_org_year").on(t.organizationId, t.year),
    index("idx_annual_summaries_status").on(t.generationStatus),
    // The job's queue, in the order it claims: a claim reads its batch and stops, however many rows
    // are waiting behind it or are done (without it, each claim sorted every waiting row).
    index("annual_summaries_queue_idx")
      .on(t.organizationId, t.year, t.userId)
      .where(sql`${t.generationStatus} <> 'ready' and not ${t.isPreview}`),
    check("annual_summaries_year_range_valid", sql`${t.year} between 2000 and 2100`),
    check(
      "annual_summaries_non_negative_counts",
      sql`${t.totalActivities} >= 0 and ${t.totalHours} >= 0 and ${t.totalContactsReached} >= 0
        and ${t.totalEventsAttended} >= 0 and ${t.badgesEarnedCount} >= 0
        and coalesce(${t.streakDays}, 0) >= 0`,
    ),
    check(
      "annual_summaries_monthly_counts_array_length",
      sql`${t.monthlyActivityCounts} is null or (jsonb_typeof(${t.monthlyActivityCounts}) = 'array'
        and jsonb_array_length(${t.monthlyActivityCounts}) = 12)`,
    ),
    check(
      "annual_summaries_most_active_month_range",
      sql`${t.mostActiveMonth} is null or ${t.mostActiveMonth} between 1 and 12`,
    ),
    check(
      "annual_summaries_highlight_moments_array",
      sql`${t.highlightMoments} is null or jsonb_typeof(${t.highlightMoments}) = 'array'`,
    ),
    check(
      "annual_summaries_ready_not_preview",
      sql`not (${t.isPreview} and ${t.generationStatus} = 'ready')`,
    ),
  ],
);

export const annualSummariesRelations = relations(annualSummaries, ({ one }) => ({
  user: one(users, { fields: [annualSummaries.userId], references: [users.id] }),
  organization: one(organizations, {
    fields: [annualSummaries.organizationId],
    references: [organizations.id],
  }),
}));
