import RestoreIcon from "@mui/icons-material/Restore";
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext, useRefresh } from "react-admin";
import { useAction } from "../../hooks/useAction";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { WebhookEndpoint } from "../../providers/webhooks";

/** A `datetime-local` value (the browser's time zone, to the minute). */
const localInputValue = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sends every failed delivery of the endpoint created since a time again, each with its own webhook-id. */
export const ReplayFailedButton = (_props: { label?: false }) => {
  const endpoint = useRecordContext<WebhookEndpoint>();
  const dataProvider = useLaurelDataProvider();
  const notify = useNotify();
  const refresh = useRefresh();
  const [since, setSince] = useState<string | null>(null);
  const { busy, run } = useAction(dataProvider.replayWebhookDeliveries, (count) => {
    setSince(null);
    notify(
      count === 0
        ? "No failed deliveries since then"
        : `${count} failed ${count === 1 ? "delivery" : "deliveries"} queued again`,
      { type: "info" },
    );
    refresh();
  });
  if (!endpoint) return null;
  const sinceDate = since ? new Date(since) : null;
  const valid = !!sinceDate && !Number.isNaN(sinceDate.getTime());

  return (
    <>
      <Button
        size="small"
        startIcon={<RestoreIcon />}
        onClick={() => setSince(localInputValue(new Date(Date.now() - DAY_MS)))}
      >
        Replay failed since…
      </Button>
      <Dialog open={since !== null} onClose={() => setSince(null)}>
        <DialogTitle>Replay failed deliveries</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Every delivery to this endpoint that failed for good and was created since this time is sent
            again, with its original webhook-id so the receiver can tell a repeat.
          </DialogContentText>
          <TextField
            label="Since"
            type="datetime-local"
            value={since ?? ""}
            onChange={(e) => setSince(e.target.value)}
            error={!valid}
            sx={{ mt: 2 }}
            slotProps={{ inputLabel: { shrink: true } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setSince(null)}>Cancel</Button>
          <Button variant="contained" disabled={!valid || busy} onClick={() => run(endpoint.id, sinceDate!)}>
            Replay
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
