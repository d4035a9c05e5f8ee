import CalculateIcon from "@mui/icons-material/Calculate";
import { AdvantageParameterCreate, AdvantageParameterEdit } from "./AdvantageParameterCreate";
import { AdvantageParameterList } from "./AdvantageParameterList";

export default {
  list: AdvantageParameterList,
  create: AdvantageParameterCreate,
  edit: AdvantageParameterEdit,
  icon: CalculateIcon,
  recordRepresentation: (p: { year: number }) => `Advantage parameters ${p.year}`,
  options: { label: "Advantage parameters" },
};
