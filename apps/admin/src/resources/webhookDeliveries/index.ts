import { WebhookDeliveryShow } from "./WebhookDeliveryShow";

/** Deliveries are read per endpoint (its Deliveries tab); each opens here. */
export default {
  show: WebhookDeliveryShow,
  recordRepresentation: (d: { eventType: string; createdAt: string }) =>
    `${d.eventType} at ${new Date(d.createdAt).toLocaleString()}`,
  options: { label: "Webhook deliveries" },
};
