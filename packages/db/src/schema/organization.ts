import { relations, sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, emptyTextArray, id, updatedAt } from "./columns.js";

/** A tenant. Every calendar boundary (day, week, month, year) is taken in its `timeZone`. */
export const organizations = pgTable(
  "organizations",
  {
    id: id(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** Enabled modules, e.g. `achievements-gamification`, `certification-training`. */
    modules: text("modules").array().notNull().default(emptyTextArray),
    /** IANA zone name, e.g. `Europe/Oslo`. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** ISO 4217 code; money in the advantage calculator is in this currency. */
    currency: text("currency").notNull().default("NOK"),
    /** BCP 47 language of the organization's members, e.g. `nb` or `en`. */
    locale: text("locale").notNull().default("en"),
    /** Email members when they earn an achievement (each may opt out). */
    emailAwards: boolean("email_awards").notNull().default(false),
    /** Email members when their Wrapped is ready (each may opt out). */
    emailSummaries: boolean("email_summaries").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("organizations_slug_key").on(t.slug),
    check("organizations_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`),
    check("organizations_name_not_empty", sql`length(btrim(${t.name})) > 0`),
    check("organizations_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * Benefit category of the advantage calculator: `rate` money per unit of `basis`
 * (an hour, an activity or a distinct contact), e.g. travel savings per activity.
 */
export type BenefitCategory = {
  key: string;
  label: string;
  basis: "hours" | "activities" | "contacts";
  rate: number;
};

/** The advantage calculator's parameters for one organization and year, with where they come from. */
export const advantageParameters = pgTable(
  "advantage_parameters",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    hourlyRate: numeric("hourly_rate", { precision: 12, scale: 2, mode: "number" }).notNull(),
    currency: text("currency").notNull().default("NOK"),
    /** Where the rate comes from, e.g. a statistics bureau's table; shown beside the estimate. */
    source: text("source").notNull(),
    benefitCategories: jsonb("benefit_categories")
      .$type<BenefitCategory[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("advantage_parameters_org_year_key").on(t.organizationId, t.year),
    check("advantage_parameters_rate_non_negative", sql`${t.hourlyRate} >= 0`),
    check("advantage_parameters_year_range", sql`${t.year} between 2000 and 2100`),
    check("advantage_parameters_currency_format", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** The organization's list of activity types a peer mentor picks from (home visit, call, event ...). */
export const activityTypes = pgTable(
  "activity_types",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    isActive: boolean("is_active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("activity_types_org_slug_key").on(t.organizationId, t.slug),
    index("activity_types_org_sort_idx").on(t.organizationId, t.sortOrder),
    check("activity_types_slug_format", sql`${t.slug} ~ '^[a-z][a-z0-9_]*$'`),
    check("activity_types_name_not_empty", sql`length(btrim(${t.name})) > 0`),
  ],
);

export const organizationsRelations = relations(organizations, ({ many }) => ({
  advantageParameters: many(advantageParameters),
  activityTypes: many(activityTypes),
}));

export const advantageParametersRelations = relations(advantageParameters, ({ one }) => ({
  organization: one(organizations, {
    fields: [advantageParameters.organizationId],
    references: [organizations.id],
  }),
}));

export const activityTypesRelations = relations(activityTypes, ({ one }) => ({
  organization: one(organizations, {
    fields: [activityTypes.organizationId],
    references: [organizations.id],
  }),
}));
