import { Chip } from "@mui/material";
import { useRecordContext } from "react-admin";
import type { DisabledReason, WebhookEndpoint } from "../../providers/webhooks";

const REASONS: Record<DisabledReason, string> = {
  admin: "Disabled by an admin",
  gone: "Disabled: the receiver answered 410 Gone",
  failing: "Disabled: failing for 3 days",
};

export const disabledReasonText = (reason: string | null): string =>
  REASONS[reason as DisabledReason] ?? "Disabled";

/** Enabled, enabled but failing (and since when), or disabled and why. */
export const EndpointStatusField = (_props: { label?: string }) => {
  const endpoint = useRecordContext<WebhookEndpoint>();
  if (!endpoint) return null;
  if (!endpoint.enabled)
    return <Chip size="small" color="error" label={disabledReasonText(endpoint.disabledReason)} />;
  if (endpoint.failingSince)
    return (
      <Chip
        size="small"
        color="warning"
        label={`Enabled, failing since ${new Date(endpoint.failingSince).toLocaleString()}`}
      />
    );
  return <Chip size="small" color="success" label="Enabled" />;
};
