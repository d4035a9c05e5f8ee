import { Create } from "react-admin";
import { AchievementRuleForm } from "./AchievementRuleForm";

export const AchievementRuleCreate = () => (
  <Create redirect="list">
    <AchievementRuleForm />
  </Create>
);
