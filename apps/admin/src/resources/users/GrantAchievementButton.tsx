import AddTaskIcon from "@mui/icons-material/AddTask";
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from "@mui/material";
import { useState } from "react";
import { useGetList, useNotify, useRecordContext } from "react-admin";
import { useCan } from "../../hooks/useCan";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";

/** Grants an achievement by hand, with its points, rewards and notification. */
export const GrantAchievementButton = ({ onGranted }: { onGranted?: () => void }) => {
  const user = useRecordContext<{ id: string; displayName: string }>();
  const { can } = useCan();
  const notify = useNotify();
  const dataProvider = useLaurelDataProvider();
  const [open, setOpen] = useState(false);
  const [achievementId, setAchievementId] = useState("");
  const { data: achievements } = useGetList<{ id: string; name: string }>(
    "Achievement",
    { pagination: { page: 1, perPage: 500 }, sort: { field: "sortOrder", order: "ASC" } },
    { enabled: open },
  );
  if (!user || !can("grant:achievements")) return null;

  const grant = async () => {
    try {
      await dataProvider.grantAchievement(user.id, achievementId);
      notify("Achievement granted", { type: "success" });
      setOpen(false);
      onGranted?.();
    } catch (error) {
      notify((error as Error).message, { type: "error" });
    }
  };

  return (
    <>
      <Button size="small" startIcon={<AddTaskIcon />} onClick={() => setOpen(true)}>
        Grant achievement
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>Grant an achievement to {user.displayName}</DialogTitle>
        <DialogContent>
          <TextField
            select
            fullWidth
            label="Achievement"
            value={achievementId}
            onChange={(e) => setAchievementId(e.target.value)}
            sx={{ mt: 1 }}
          >
            {(achievements ?? []).map((a) => (
              <MenuItem key={a.id} value={a.id}>
                {a.name}
              </MenuItem>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" disabled={!achievementId} onClick={() => void grant()}>
            Grant
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
