import RuleIcon from "@mui/icons-material/Rule";
import { AchievementRuleCreate } from "./AchievementRuleCreate";
import { AchievementRuleEdit } from "./AchievementRuleEdit";
import { AchievementRuleList } from "./AchievementRuleList";

export default {
  list: AchievementRuleList,
  create: AchievementRuleCreate,
  edit: AchievementRuleEdit,
  icon: RuleIcon,
  recordRepresentation: (rule: { name: string; weight: number }) => `${rule.name} (weight ${rule.weight})`,
  options: { label: "Achievement Rules" },
};
