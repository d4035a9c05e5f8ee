import { Typography } from "@mui/material";
import { useRecordContext } from "react-admin";
import type { WebhookDelivery } from "../../providers/webhooks";

const SHORT = 80;

/** The receiver's status code and the start of its answer (or why there was none); the whole of it in `full`. */
export const LastResponseField = ({ full = false }: { label?: string; full?: boolean }) => {
  const delivery = useRecordContext<WebhookDelivery>();
  if (!delivery || (delivery.lastStatusCode === null && !delivery.lastResponse)) return <>-</>;
  const body = delivery.lastResponse ?? "";
  const shown = full || body.length <= SHORT ? body : `${body.slice(0, SHORT)}…`;
  return (
    <Typography
      variant="body2"
      component={full ? "pre" : "span"}
      title={full ? undefined : body}
      sx={full ? { whiteSpace: "pre-wrap", wordBreak: "break-all", m: 0 } : undefined}
    >
      {delivery.lastStatusCode !== null && <strong>{delivery.lastStatusCode} </strong>}
      {shown}
    </Typography>
  );
};
