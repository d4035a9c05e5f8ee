import { Chip, type ChipProps } from "@mui/material";
import { useRecordContext } from "react-admin";
import type { DeliveryStatus, WebhookDelivery } from "../../providers/webhooks";

const LOOK: Record<DeliveryStatus, { label: string; color: ChipProps["color"] }> = {
  PENDING: { label: "Pending", color: "default" },
  DELIVERING: { label: "Delivering", color: "info" },
  DELIVERED: { label: "Delivered", color: "success" },
  FAILED: { label: "Failed", color: "error" },
};

/** Still to try (or trying) means the dispatcher has not finished with it: lists showing it refresh. */
export const isUnfinished = (delivery: Pick<WebhookDelivery, "status">) =>
  delivery.status === "PENDING" || delivery.status === "DELIVERING";

/** When the next attempt is due, for a delivery not yet finished. */
export const nextAttemptText = (delivery: WebhookDelivery) =>
  isUnfinished(delivery) && delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toLocaleString() : "-";

export const DeliveryStatusField = (_props: { label?: string }) => {
  const delivery = useRecordContext<WebhookDelivery>();
  if (!delivery) return null;
  const look = LOOK[delivery.status] ?? { label: delivery.status, color: "default" };
  return <Chip size="small" color={look.color} label={look.label} data-testid="delivery-status" />;
};
