import { relations, sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, id, timestamptz, updatedAt } from "./columns.js";
import { organizations } from "./organization.js";

export type AdvantageBreakdownItem = {
  key: string;
  label: string;
  basis: "hours" | "activities" | "contacts";
  quantity: number;
  rate: number;
  value: number;
};

/** Seed 004: the estimated value of one peer mentor's volunteer work in one period (a calendar year). */
export const advantageCalculations = pgTable(
  "advantage_calculations",
  {
    id: id(),
    // valid_user_reference: a foreign key, plus the composite one below for the tenant.
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    calculationDate: timestamptz("calculation_date").notNull(),
    periodStart: timestamptz("period_start").notNull(),
    periodEnd: timestamptz("period_end").notNull(),
    totalActivities: integer("total_activities").notNull().default(0),
    totalHours: numeric("total_hours", { precision: 10, scale: 2, mode: "number" }).notNull().default(0),
    estimatedMonetaryValue: numeric("estimated_monetary_value", { precision: 14, scale: 2, mode: "number" }),
    socialImpactScore: numeric("social_impact_score", { precision: 10, scale: 2, mode: "number" }),
    contactsHelped: integer("contacts_helped"),
    advantageBreakdown: jsonb("advantage_breakdown").$type<AdvantageBreakdownItem[]>(),
    calculationVersion: text("calculation_version").notNull(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The parameters used, kept for reproducibility and shown beside the estimate. */
    hourlyRate: numeric("hourly_rate", { precision: 12, scale: 2, mode: "number" }),
    currency: text("currency").notNull().default("NOK"),
    rateSource: text("rate_source"),
    /** Marked when an activity of the period changed; the scheduler refreshes it. */
    isStale: boolean("is_stale").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "advantage_calculations_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    index("idx_advantage_calculations_user_id").on(t.userId),
    uniqueIndex("idx_advantage_calculations_user_period").on(t.userId, t.periodStart, t.periodEnd),
    index("idx_advantage_calculations_calculation_date").on(t.calculationDate),
    index("idx_advantage_calculations_organization_id").on(t.organizationId),
    index("advantage_calculations_stale_idx")
      .on(t.isStale)
      .where(sql`${t.isStale}`),
    check("advantage_calculations_period_start_before_end", sql`${t.periodStart} < ${t.periodEnd}`),
    check(
      "advantage_calculations_non_negative_totals",
      sql`${t.totalActivities} >= 0 and ${t.totalHours} >= 0 and coalesce(${t.contactsHelped}, 0) >= 0
        and coalesce(${t.estimatedMonetaryValue}, 0) >= 0 and coalesce(${t.socialImpactScore}, 0) >= 0`,
    ),
  ],
);

export const advantageCalculationsRelations = relations(advantageCalculations, ({ one }) => ({
  user: one(users, { fields: [advantageCalculations.userId], references: [users.id] }),
}));
