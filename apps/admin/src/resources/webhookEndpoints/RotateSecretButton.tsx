import KeyIcon from "@mui/icons-material/Key";
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import { useRecordContext, useRefresh } from "react-admin";
import { useAction } from "../../hooks/useAction";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { WebhookEndpoint } from "../../providers/webhooks";
import { SecretDialog } from "./SecretDialog";

const MAX_OVERLAP_HOURS = 168;

type Rotated = { secret: string | null; previousSecretUntil: string | null };

/** A new signing secret, shown once; the old one keeps signing beside it for the overlap, so receivers can switch. */
export const RotateSecretButton = () => {
  const endpoint = useRecordContext<WebhookEndpoint>();
  const dataProvider = useLaurelDataProvider();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState("24");
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const { busy, run } = useAction(dataProvider.rotateWebhookEndpointSecret, (result) => {
    setOpen(false);
    setRotated(result);
  });
  if (!endpoint) return null;
  const overlap = Number(hours);
  const valid = hours !== "" && Number.isInteger(overlap) && overlap >= 0 && overlap <= MAX_OVERLAP_HOURS;

  return (
    <>
      <Button size="small" startIcon={<KeyIcon />} onClick={() => setOpen(true)}>
        Rotate secret
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>Rotate the signing secret</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Deliveries are signed with a new secret. During the overlap they carry a signature with the old
            secret too, so the receiver can switch without losing an event.
          </DialogContentText>
          <TextField
            label="Overlap (hours)"
            type="number"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            error={!valid}
            helperText={`0 to ${MAX_OVERLAP_HOURS}; 0 ends the old secret at once`}
            slotProps={{ htmlInput: { min: 0, max: MAX_OVERLAP_HOURS, step: 1 } }}
            sx={{ mt: 2 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" disabled={!valid || busy} onClick={() => run(endpoint.id, overlap)}>
            Rotate
          </Button>
        </DialogActions>
      </Dialog>
      <SecretDialog
        title="New signing secret"
        secret={rotated?.secret ?? null}
        onClose={() => {
          setRotated(null);
          refresh();
        }}
      >
        {rotated?.previousSecretUntil && (
          <Typography variant="body2" sx={{ mt: 2 }}>
            The previous secret also signs until {new Date(rotated.previousSecretUntil).toLocaleString()}.
          </Typography>
        )}
      </SecretDialog>
    </>
  );
};
