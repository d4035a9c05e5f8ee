import HistoryIcon from "@mui/icons-material/History";
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
} from "@mui/material";
import { useState } from "react";
import { useNotify, useRecordContext } from "react-admin";
import { useCan } from "../../hooks/useCan";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";
import type { Achievement } from "./choices";

/** Awards the achievement to users who already qualify: count first (dry run), then run it in the background. */
export const BackfillButton = () => {
  const record = useRecordContext<Achievement>();
  const { canWriteRow } = useCan();
  const dataProvider = useLaurelDataProvider();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [notifyUsers, setNotifyUsers] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  if (!record || !canWriteRow("update:achievementDefinitions", record)) return null;

  const run = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const result = await dataProvider.backfillAchievement(record.id, { notifyUsers, dryRun });
      if (dryRun) setCount(result.matchedCount ?? 0);
      else {
        notify("Backfill started: the scheduled job awards the users who qualify", { type: "info" });
        setOpen(false);
      }
    } catch (error) {
      notify((error as Error).message, { type: "error" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" startIcon={<HistoryIcon />} onClick={() => setOpen(true)}>
        Backfill
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>Backfill “{record.name}”</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Award this achievement to the users whose history already qualifies them.
          </DialogContentText>
          <FormControlLabel
            control={<Checkbox checked={notifyUsers} onChange={(e) => setNotifyUsers(e.target.checked)} />}
            label="Notify users"
          />
          {count !== null && (
            <Alert severity="info" data-testid="backfill-count">
              Dry run: {count} {count === 1 ? "user qualifies" : "users qualify"} now.
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button onClick={() => void run(true)} disabled={busy}>
            Dry run
          </Button>
          <Button variant="contained" onClick={() => void run(false)} disabled={busy}>
            Start backfill
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
