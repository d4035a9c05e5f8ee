import SendIcon from "@mui/icons-material/Send";
import { Button, Tooltip } from "@mui/material";
import { useNotify, useRecordContext, useRedirect } from "react-admin";
import { useAction } from "../../hooks/useAction";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { WebhookEndpoint } from "../../providers/webhooks";

/**
 * Sends a `webhook.test` event to this endpoint only, then opens its delivery to watch it arrive. A disabled
 * endpoint takes none (the API refuses): it is enabled first.
 */
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
    <Tooltip title={endpoint.enabled ? "" : "Enable the endpoint to send it a test event"}>
      <span>
        <Button
          size="small"
          startIcon={<SendIcon />}
          disabled={busy || !endpoint.enabled}
          onClick={() => run(endpoint.id)}
        >
          Send test event
        </Button>
      </span>
    </Tooltip>
  );
};
