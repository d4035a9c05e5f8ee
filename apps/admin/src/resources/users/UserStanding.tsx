import {
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from "@mui/material";
import type { Standing } from "../../providers/dataProvider";

export const UserStanding = ({ standing }: { standing: Standing }) => (
  <Card variant="outlined">
    <CardContent>
      <Typography variant="h6">Points and rewards</Typography>
      <Stack direction="row" spacing={4} sx={{ my: 1 }}>
        <Typography>
          Points: <strong data-testid="standing-points">{standing.points}</strong>
        </Typography>
        <Typography>
          Badges earned: <strong>{standing.badgesEarned}</strong>
        </Typography>
      </Stack>
      {standing.rewards.length === 0 ? (
        <Typography color="text.secondary">No rewards yet.</Typography>
      ) : (
        <Table size="small" aria-label="Reward ledger">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Reward</TableCell>
              <TableCell>Type</TableCell>
              <TableCell align="right">Quantity</TableCell>
              <TableCell align="right">Unit value</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {standing.rewards.map((entry) => (
              <TableRow key={entry.id}>
                <TableCell>{new Date(entry.createdAt).toLocaleString()}</TableCell>
                <TableCell>{entry.description}</TableCell>
                <TableCell>{entry.type}</TableCell>
                <TableCell align="right">{entry.quantity}</TableCell>
                <TableCell align="right">{entry.unitValue}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </CardContent>
  </Card>
);
