import {
  Avatar,
  Box,
  Card,
  CardContent,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import type { BadgeProgress } from "../../providers/dataProvider";

const STATE_LABEL: Record<BadgeProgress["state"], string> = {
  EARNED: "completed",
  IN_PROGRESS: "in progress",
  LOCKED: "not started",
};

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "");

/** Seed 001's "check the player's achievement progress": a bar per badge, and when it was completed. */
export const UserProgress = ({ badges, onRefresh }: { badges: BadgeProgress[]; onRefresh?: () => void }) => (
  <Card variant="outlined">
    <CardContent>
      <Box sx={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <Typography variant="h6">Achievement progress</Typography>
        {onRefresh && <Chip label="Refresh" size="small" onClick={onRefresh} variant="outlined" clickable />}
      </Box>
      {badges.length === 0 ? (
        <Typography color="text.secondary">No achievements in this organization yet.</Typography>
      ) : (
        <Table size="small" aria-label="Achievement progress">
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell>Achievement</TableCell>
              <TableCell sx={{ width: "40%" }}>Progress</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Completed</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {badges.map((badge) => (
              <TableRow
                key={`${badge.achievementId}:${badge.name}`}
                data-testid={`progress-${badge.key ?? badge.achievementId}`}
              >
                <TableCell>
                  <Avatar src={badge.iconUrl ?? undefined} variant="rounded" sx={{ width: 32, height: 32 }}>
                    {badge.name[0]}
                  </Avatar>
                </TableCell>
                <TableCell>{badge.name}</TableCell>
                <TableCell>
                  <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
                    <LinearProgress
                      variant="determinate"
                      value={badge.progress}
                      sx={{ flex: 1, height: 8, borderRadius: 4 }}
                      color={badge.state === "EARNED" ? "success" : "primary"}
                      aria-label={`${badge.name} progress`}
                    />
                    <Typography variant="body2" sx={{ minWidth: 40 }}>
                      {badge.progress}%
                    </Typography>
                  </Box>
                </TableCell>
                <TableCell>
                  <Chip
                    size="small"
                    label={STATE_LABEL[badge.state]}
                    color={badge.state === "EARNED" ? "success" : "default"}
                  />
                </TableCell>
                <TableCell>{date(badge.earnedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </CardContent>
  </Card>
);
