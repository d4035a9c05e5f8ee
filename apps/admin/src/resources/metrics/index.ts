import InsightsIcon from "@mui/icons-material/Insights";
import { MetricCreate } from "./MetricCreate";
import { MetricEdit } from "./MetricEdit";
import { MetricList } from "./MetricList";

export default {
  list: MetricList,
  create: MetricCreate,
  edit: MetricEdit,
  icon: InsightsIcon,
  recordRepresentation: (m: { name: string; key: string }) => `${m.name} (${m.key})`,
  options: { label: "Metrics" },
};
