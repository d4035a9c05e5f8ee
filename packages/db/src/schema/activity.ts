import { relations, sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, id, timestamptz, updatedAt } from "./columns.js";
import { events } from "./event.js";
import { activityTypes, organizations } from "./organization.js";

/**
 * What a peer mentor logs. Soft-deleted (`deleted_at`) so a correction can be traced;
 * every change ripples to metrics, Wrapped and the advantage calculation.
 */
export const activities = pgTable(
  "activities",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    activityTypeId: uuid("activity_type_id")
      .notNull()
      .references(() => activityTypes.id, { onDelete: "restrict" }),
    occurredAt: timestamptz("occurred_at").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    /** Pseudonymous reference to the contact helped; counts distinct contacts reached. */
    contactRef: text("contact_ref"),
    notes: text("notes"),
    /** The metric event this activity produced; replaced when the activity is corrected. */
    eventId: uuid("event_id").references(() => events.id, { onDelete: "set null" }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    deletedAt: timestamptz("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "activities_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    // A user's activities in time order, holding every column Wrapped and the advantage calculation
    // read: a batch's year comes from the index alone, in order (no heap page, no sort).
    index("activities_user_year_idx").on(
      t.userId,
      t.occurredAt,
      t.activityTypeId,
      t.durationMinutes,
      t.contactRef,
      t.deletedAt,
    ),
    index("activities_org_occurred_idx").on(t.organizationId, t.occurredAt),
    check("activities_duration_range", sql`${t.durationMinutes} between 0 and 1440`),
    // As the API validates it; it is also an index key, which a B-tree bounds.
    check("activities_contact_ref_length", sql`length(${t.contactRef}) <= 200`),
  ],
);

/** A user took part in an event (a course, a gathering). */
export const eventAttendances = pgTable(
  "event_attendances",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    /** The organization's own identifier of the event; a user attends an event once. */
    eventRef: text("event_ref").notNull(),
    eventName: text("event_name").notNull(),
    attendedAt: timestamptz("attended_at").notNull(),
    eventId: uuid("event_id").references(() => events.id, { onDelete: "set null" }),
    deletedAt: timestamptz("deleted_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "event_attendances_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("event_attendances_user_event_key").on(t.userId, t.eventRef),
    index("event_attendances_org_attended_idx").on(t.organizationId, t.attendedAt),
  ],
);

export const activitiesRelations = relations(activities, ({ one }) => ({
  user: one(users, { fields: [activities.userId], references: [users.id] }),
  activityType: one(activityTypes, { fields: [activities.activityTypeId], references: [activityTypes.id] }),
}));
