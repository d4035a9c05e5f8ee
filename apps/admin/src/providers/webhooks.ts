import { graphqlRequest } from "./graphql";

/** Why an endpoint stopped: an admin turned it off, the receiver answered 410 Gone, or it failed for 3 days. */
export type DisabledReason = "admin" | "gone" | "failing";

export type WebhookEndpoint = {
  id: string;
  organizationId: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: DisabledReason | null;
  failingSince: string | null;
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only in the answers of a create and a rotation; null when read back. */
  secret: string | null;
  deliveryStats: { pending: number; delivered: number; failed: number };
};

export type DeliveryStatus = "PENDING" | "DELIVERING" | "DELIVERED" | "FAILED";

export type WebhookDelivery = {
  id: string;
  organizationId: string;
  endpointId: string;
  outboxId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastResponse: string | null;
  deliveredAt: string | null;
  createdAt: string;
  payload: Record<string, unknown>;
};

const DELIVERY = `id organizationId endpointId outboxId eventType status attempts nextAttemptAt lastAttemptAt
  lastStatusCode lastResponse deliveredAt createdAt payload`;

/** The webhook operations beyond the endpoints' and deliveries' CRUD. */
export const webhookOperations = {
  /** The outbox event types an endpoint may subscribe to. */
  webhookEventTypes: () =>
    graphqlRequest<{ webhookEventTypes: string[] }>(`{ webhookEventTypes }`).then((d) => d.webhookEventTypes),
  /** A new secret, answered once; the old one keeps signing beside it for `overlapHours`. */
  rotateWebhookEndpointSecret: (id: string, overlapHours: number) =>
    graphqlRequest<{
      rotateWebhookEndpointSecret: Pick<WebhookEndpoint, "id" | "secret" | "previousSecretUntil">;
    }>(
      `mutation($id: ID!, $overlapHours: Int) {
        rotateWebhookEndpointSecret(id: $id, overlapHours: $overlapHours) { id secret previousSecretUntil } }`,
      { id, overlapHours },
    ).then((d) => d.rotateWebhookEndpointSecret),
  /** A `webhook.test` event to this endpoint only. */
  sendTestWebhook: (id: string) =>
    graphqlRequest<{ sendTestWebhook: WebhookDelivery }>(
      `mutation($id: ID!) { sendTestWebhook(id: $id) { ${DELIVERY} } }`,
      { id },
    ).then((d) => d.sendTestWebhook),
  /** Back to pending, due now, attempts reset; the receiver gets the same `webhook-id` again. */
  replayWebhookDelivery: (id: string) =>
    graphqlRequest<{ replayWebhookDelivery: WebhookDelivery }>(
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { ${DELIVERY} } }`,
      { id },
    ).then((d) => d.replayWebhookDelivery),
  /** Every failed delivery of the endpoint created since then; answers how many. */
  replayWebhookDeliveries: (endpointId: string, since: Date) =>
    graphqlRequest<{ replayWebhookDeliveries: number }>(
      `mutation($endpointId: ID!, $since: DateTimeISO!) { replayWebhookDeliveries(endpointId: $endpointId, since: $since) }`,
      { endpointId, since: since.toISOString() },
    ).then((d) => d.replayWebhookDeliveries),
};
