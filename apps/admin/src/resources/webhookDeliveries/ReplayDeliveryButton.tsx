import ReplayIcon from "@mui/icons-material/Replay";
import { Button } from "@mui/material";
import { useNotify, useRecordContext, useRefresh } from "react-admin";
import { useAction } from "../../hooks/useAction";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { WebhookDelivery } from "../../providers/webhooks";
import { isUnfinished } from "./DeliveryStatusField";

/** Sends one delivery again, due now with its attempts reset; the receiver sees the same webhook-id. */
export const ReplayDeliveryButton = (_props: { label?: false }) => {
  const delivery = useRecordContext<WebhookDelivery>();
  const dataProvider = useLaurelDataProvider();
  const notify = useNotify();
  const refresh = useRefresh();
  const { busy, run } = useAction(dataProvider.replayWebhookDelivery, () => {
    notify("Delivery queued again", { type: "info" });
    refresh();
  });
  if (!delivery) return null;
  return (
    <Button
      size="small"
      startIcon={<ReplayIcon />}
      disabled={busy || isUnfinished(delivery)}
      onClick={(e) => {
        e.stopPropagation();
        run(delivery.id);
      }}
    >
      Replay
    </Button>
  );
};
