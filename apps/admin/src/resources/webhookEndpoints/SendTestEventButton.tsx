import SendIcon from "@mui/icons-material/Send";
import { Button } from "@mui/material";
import { useNotify, useRecordContext, useRedirect } from "react-admin";
import { useAction } from "../../hooks/useAction";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { WebhookEndpoint } from "../../providers/webhooks";

/** Sends a `webhook.test` event to this endpoint only, then opens its delivery to watch it arrive. */
export const SendTestEventButton = () => {
  const endpoint = useRecordContext<WebhookEndpoint>();
  const dataProvider = useLaurelDataProvider();
  const notify = useNotify();
  const redirect = useRedirect();
  const { busy, run } = useAction(dataProvider.sendTestWebhook, (delivery) => {
    notify("Test event queued", { type: "info" });
    redirect("show", "WebhookDelivery", delivery.id);
  });
  if (!endpoint) return null;
  return (
    <Button size="small" startIcon={<SendIcon />} disabled={busy} onClick={() => run(endpoint.id)}>
      Send test event
    </Button>
  );
};
