import { Box } from "@mui/material";
import { useRecordContext } from "react-admin";
import type { WebhookDelivery } from "../../providers/webhooks";

/** The body as the receiver got it, pretty-printed. */
export const PayloadField = (_props: { label?: string }) => {
  const delivery = useRecordContext<WebhookDelivery>();
  if (!delivery) return null;
  return (
    <Box
      component="pre"
      data-testid="delivery-payload"
      sx={{ m: 0, p: 1.5, bgcolor: "action.hover", borderRadius: 1, overflowX: "auto", fontSize: 13 }}
    >
      {JSON.stringify(delivery.payload, null, 2)}
    </Box>
  );
};
