import AutoStoriesIcon from "@mui/icons-material/AutoStories";
import { AnnualSummaryList } from "./AnnualSummaryList";

export default {
  list: AnnualSummaryList,
  icon: AutoStoriesIcon,
  recordRepresentation: (s: { year: number }) => `Summary ${s.year}`,
  options: { label: "Annual summaries" },
};
