import EmojiEventsIcon from "@mui/icons-material/EmojiEvents";
import { AchievementCreate } from "./AchievementCreate";
import { AchievementEdit } from "./AchievementEdit";
import { AchievementList } from "./AchievementList";
import { AchievementShow } from "./AchievementShow";

export default {
  list: AchievementList,
  create: AchievementCreate,
  edit: AchievementEdit,
  show: AchievementShow,
  icon: EmojiEventsIcon,
  recordRepresentation: "name",
  options: { label: "Achievements" },
};
