import { Edit } from "react-admin";
import { AchievementRuleForm } from "./AchievementRuleForm";

export const AchievementRuleEdit = () => (
  <Edit mutationMode="pessimistic" redirect="list">
    <AchievementRuleForm />
  </Edit>
);
