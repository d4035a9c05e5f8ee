import {
  foreignKey,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./access.js";
import { createdAt, emptyJsonObject, id, timestamptz } from "./columns.js";

export const eventSources = ["api_key", "admin", "activity", "attendance", "system"] as const;
export const eventSourceEnum = pgEnum("event_source", eventSources);

/**
 * Something that happened to a user, the input of every metric: reported by a tenant's backend
 * (`match_won`, `deposit` ...) or produced by Laurel itself (an activity logged, a badge earned).
 */
export const events = pgTable(
  "events",
  {
    id: id(),
    // No key of its own to organizations: the composite key to (user, organization) below holds it, and
    // one foreign-key check less is a cheaper intake.
    organizationId: uuid("organization_id").notNull(),
    userId: uuid("user_id").notNull(),
    type: text("type").notNull(),
    value: numeric("value", { mode: "number" }),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default(emptyJsonObject),
    occurredAt: timestamptz("occurred_at").notNull(),
    /** The caller's key: the same key twice in one organization counts once. */
    idempotencyKey: text("idempotency_key"),
    /** SHA-256 of the canonical payload, to tell a replay from a different event under a reused key. */
    payloadHash: text("payload_hash"),
    source: eventSourceEnum("source").notNull(),
    /** Set when a correction or deletion retracts the event; retracted events count nowhere. */
    retractedAt: timestamptz("retracted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "events_user_org_fk",
      columns: [t.userId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete("cascade"),
    uniqueIndex("events_org_idempotency_key").on(t.organizationId, t.idempotencyKey),
    index("events_user_type_occurred_idx").on(t.userId, t.type, t.occurredAt),
  ],
);
