import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  InputAdornment,
  TextField,
  Tooltip,
} from "@mui/material";
import { type ReactNode, useState } from "react";

/** Copies to the clipboard; the browser allows it on https and on localhost only. */
const CopyButton = ({ text }: { text: string }) => {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () =>
    navigator.clipboard
      .writeText(text)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  const title =
    copied === null ? "Copy" : copied ? "Copied" : "The browser refused: select the secret and copy it";
  return (
    <Tooltip title={title}>
      <IconButton aria-label="Copy secret" onClick={() => void copy()} edge="end">
        <ContentCopyIcon fontSize="small" />
      </IconButton>
    </Tooltip>
  );
};

/**
 * A signing secret, shown once: the API keeps it where even a database dump cannot read it, and never
 * answers it again. The dialog closes only by its button, so a stray click does not lose it.
 */
export const SecretDialog = ({
  secret,
  title,
  children,
  onClose,
}: {
  secret: string | null;
  title: string;
  children?: ReactNode;
  onClose: () => void;
}) => (
  <Dialog open={secret !== null} fullWidth maxWidth="sm" aria-labelledby="webhook-secret-title">
    <DialogTitle id="webhook-secret-title">{title}</DialogTitle>
    <DialogContent>
      <Alert severity="warning" sx={{ mb: 2 }}>
        Copy the signing secret now and keep it with your receiver: you will not see it again.
      </Alert>
      <TextField
        label="Signing secret"
        value={secret ?? ""}
        fullWidth
        onFocus={(e) => e.target.select()}
        slotProps={{
          htmlInput: { readOnly: true, "data-testid": "webhook-secret", style: { fontFamily: "monospace" } },
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <CopyButton text={secret ?? ""} />
              </InputAdornment>
            ),
          },
        }}
      />
      {children}
    </DialogContent>
    <DialogActions>
      <Button variant="contained" onClick={onClose}>
        I have copied it
      </Button>
    </DialogActions>
  </Dialog>
);
