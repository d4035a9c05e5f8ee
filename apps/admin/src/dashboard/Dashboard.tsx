import {
  Alert,
  Box,
  Card,
  CardContent,
  CardHeader,
  List,
  ListItem,
  ListItemText,
  Typography,
} from "@mui/material";
import { Title } from "react-admin";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useCan } from "../hooks/useCan";
import { useDashboardStats } from "./useDashboardStats";

const Ranking = ({
  title,
  rows,
}: {
  title: string;
  rows: { achievementId: string; name: string; count: number }[];
}) => (
  <Card variant="outlined" sx={{ flex: 1, minWidth: 260 }}>
    <CardHeader title={title} titleTypographyProps={{ variant: "h6" }} />
    <List dense>
      {rows.length === 0 && (
        <ListItem>
          <ListItemText secondary="No achievements yet" />
        </ListItem>
      )}
      {rows.map((row) => (
        <ListItem key={row.achievementId}>
          <ListItemText primary={row.name} secondary={`${row.count} earned`} />
        </ListItem>
      ))}
    </List>
  </Card>
);

const Counter = ({ label, value }: { label: string; value: number }) => (
  <Card variant="outlined" sx={{ flex: 1, minWidth: 180 }}>
    <CardContent>
      <Typography color="text.secondary">{label}</Typography>
      <Typography variant="h4">{value}</Typography>
    </CardContent>
  </Card>
);

export const Dashboard = () => {
  const { can, isPending } = useCan();
  const allowed = !isPending && can("read:progress");
  const { data, error } = useDashboardStats(allowed);
  return (
    <Box sx={{ mt: 2, display: "flex", flexDirection: "column", gap: 2 }}>
      <Title title="Laurel" />
      {!isPending && !allowed && <Alert severity="info">Welcome to Laurel&apos;s admin panel.</Alert>}
      {error && <Alert severity="error">{error.message}</Alert>}
      {data && (
        <>
          <Card variant="outlined">
            <CardHeader title="Badges earned per week" titleTypographyProps={{ variant: "h6" }} />
            <CardContent sx={{ height: 260 }}>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data.badgesPerWeek}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="weekStart" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="count" name="Badges earned" fill="#1976d2" />
                </BarChart>
              </ResponsiveContainer>
            </CardContent>
          </Card>
          <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
            <Ranking title="Most earned" rows={data.mostEarned} />
            <Ranking title="Least earned" rows={data.leastEarned} />
          </Box>
          <Box sx={{ display: "flex", gap: 2, flexWrap: "wrap" }}>
            <Counter label="Pending summaries" value={data.pendingSummaries} />
            <Counter label="Pending backfills" value={data.pendingBackfills} />
            <Counter label="Running backfills" value={data.runningBackfills} />
          </Box>
        </>
      )}
    </Box>
  );
};
