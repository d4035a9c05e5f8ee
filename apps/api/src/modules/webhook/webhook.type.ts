import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { JSONObjectScalar } from "../../lib/scalars.js";

/** A delivery's state, by the database's values (GraphQL shows the names). */
export const DeliveryStatus = {
  PENDING: "pending",
  DELIVERING: "delivering",
  DELIVERED: "delivered",
  FAILED: "failed",
} as const;
registerEnumType(DeliveryStatus, {
  name: "DeliveryStatus",
  description:
    "PENDING: due at nextAttemptAt; DELIVERING: being posted; DELIVERED: the receiver answered 2xx; FAILED: every attempt failed (or 410 Gone)",
});

@ObjectType({ description: "How an endpoint's deliveries stand" })
export class WebhookDeliveryStats {
  @Field(() => Int, { description: "Waiting for an attempt, or being posted" })
  pending: number;

  @Field(() => Int)
  delivered: number;

  @Field(() => Int)
  failed: number;
}

@ObjectType({
  description:
    "A tenant's receiver of outbox events, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Its `secret` and `deliveryStats` come from the resolver.",
})
export class WebhookEndpoint {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => String)
  url: string;

  @Field(() => String)
  description: string;

  @Field(() => [String], { description: "The outbox types it receives (webhookEventTypes)" })
  eventTypes: string[];

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "Why it is disabled: admin, gone (it answered 410), failing (three days of failures); null while enabled",
  })
  disabledReason: string | null;

  @Field(() => Date, {
    nullable: true,
    description: "Since when every delivery has failed; null while healthy",
  })
  failingSince: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "Until when the secret before the last rotation still signs beside the new one",
  })
  previousSecretUntil: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType({
  description: "One outbox event for one webhook endpoint: its attempts, and when the next is due",
})
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => ID)
  endpointId: string;

  @Field(() => ID, { description: "The event's id: the webhook-id header, the same on every attempt" })
  outboxId: string;

  @Field(() => String)
  eventType: string;

  @Field(() => DeliveryStatus)
  status: string;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date, { nullable: true, description: "When it is tried next; null once delivered or failed" })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "The receiver's last HTTP status; null when it did not answer",
  })
  lastStatusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The receiver's last answer (its first KiB), or why there was none",
  })
  lastResponse: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => JSONObjectScalar, {
    description: "The body as sent: { id, type, organizationId, occurredAt, data }",
  })
  payload: Record<string, unknown>;
}
