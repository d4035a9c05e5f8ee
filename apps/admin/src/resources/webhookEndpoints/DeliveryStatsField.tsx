import { Chip, Stack } from "@mui/material";
import { useRecordContext } from "react-admin";
import type { WebhookEndpoint } from "../../providers/webhooks";

/** How many of the endpoint's deliveries arrived, wait, and failed for good. */
export const DeliveryStatsField = (_props: { label?: string }) => {
  const endpoint = useRecordContext<WebhookEndpoint>();
  if (!endpoint?.deliveryStats) return null;
  const { delivered, pending, failed } = endpoint.deliveryStats;
  return (
    <Stack direction="row" spacing={0.5} data-testid="delivery-stats">
      <Chip size="small" variant="outlined" color="success" label={`${delivered} delivered`} />
      <Chip size="small" variant="outlined" label={`${pending} pending`} />
      <Chip
        size="small"
        variant={failed > 0 ? "filled" : "outlined"}
        color="error"
        label={`${failed} failed`}
      />
    </Stack>
  );
};
