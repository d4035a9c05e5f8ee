import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, updatedAt } from "./columns.js";
import { users } from "./access.js";
import { organizations } from "./organization.js";

/**
 * What Laurel tells the world, written in the same transaction as the change that causes it (the
 * transactional outbox): nothing is announced that did not commit, and nothing committed is lost.
 * Insert-only: each row also goes into `outbox_pending` (a trigger, see HAND-WRITTEN.md), from which
 * the relay takes it to hand to its consumers (webhook deliveries, email, NATS, live subscriptions).
 * `id` is each event's stable identity: a webhook's `webhook-id`, NATS's `Nats-Msg-Id`.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    /** Insertion order, for the relay and for replays; not a commit order. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The person the event is about, when there is one (live updates go to them). */
    userId: uuid("user_id"),
    /** `achievement.earned`, `progress.changed`, `reward.granted`, `summary.ready`, ... (see outbox types). */
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbox_org_seq_idx").on(t.organizationId, t.seq),
    index("outbox_created_idx").on(t.createdAt),
    check("outbox_type_format", sql`${t.type} ~ '^[a-z]+(\\.[a-z_]+)+$'`),
  ],
);

/**
 * The outbox rows the relay has not handed on yet, in insertion order: filled by a statement-level
 * trigger on `outbox`, emptied by the relay as it claims them. Small and short-lived, so the relay
 * never rewrites an outbox row to mark it.
 */
export const outboxPending = pgTable("outbox_pending", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  id: uuid("id").notNull(),
});

/** A tenant's HTTPS receiver of outbox events, signed per the Standard Webhooks specification. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** The outbox types it receives. */
    eventTypes: text("event_types").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why it was disabled: by an admin, 410 Gone, or failing for three days. */
    disabledReason: text("disabled_reason"),
    /** The signing secret, encrypted with a key the database does not hold (LAUREL_WEBHOOK_KEY). */
    secret: text("secret").notNull(),
    /** The secret before a rotation, still signing beside the new one until `previous_secret_until`. */
    previousSecret: text("previous_secret"),
    previousSecretUntil: timestamptz("previous_secret_until"),
    /** Since when every delivery has failed; null while healthy. */
    failingSince: timestamptz("failing_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_endpoints_org_idx").on(t.organizationId),
    check("webhook_endpoints_event_types_not_empty", sql`cardinality(${t.eventTypes}) > 0`),
  ],
);

export const deliveryStatus = pgEnum("delivery_status", ["pending", "delivering", "delivered", "failed"]);

/** One outbox event for one endpoint: its attempts, and when the next one is due. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    outboxId: uuid("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    /** A dispatcher holds it until then; after, another may take it (the holder died). */
    leaseUntil: timestamptz("lease_until"),
    lastAttemptAt: timestamptz("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    /** The receiver's answer, cut to 1 KiB, or why there was none. */
    lastResponse: text("last_response"),
    deliveredAt: timestamptz("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_outbox_key").on(t.endpointId, t.outboxId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'delivering')`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
  ],
);

/**
 * An email to a person about an outbox event (an award, their Wrapped), when their organization sends
 * them and they have not opted out: sent once, retried like a webhook delivery when the mail server fails.
 */
export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    outboxId: uuid("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    leaseUntil: timestamptz("lease_until"),
    lastError: text("last_error"),
    sentAt: timestamptz("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_deliveries_outbox_user_key").on(t.outboxId, t.userId),
    index("email_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'delivering')`),
    index("email_deliveries_org_idx").on(t.organizationId),
  ],
);
