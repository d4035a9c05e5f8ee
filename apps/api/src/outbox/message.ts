/**
 * A webhook's body: the outbox message ({ id, type, organizationId, occurredAt, data }, the shape of
 * OutboxMessage in @laurel/engine), `type` included as Standard Webhooks suggests. `webhook.test` events
 * (sendTestWebhook) have the same shape. The delivery log shows the same object as `payload`.
 */
export type WebhookMessage = {
  id: string;
  type: string;
  organizationId: string;
  occurredAt: string;
  data: unknown;
};

export function webhookMessageOf(row: {
  id: string;
  type: string;
  organizationId: string;
  occurredAt: Date | string;
  payload: unknown;
}): WebhookMessage {
  return {
    id: row.id,
    type: row.type,
    organizationId: row.organizationId,
    occurredAt: new Date(row.occurredAt).toISOString(),
    data: row.payload,
  };
}
