import { Create } from "react-admin";
import { AchievementForm } from "./AchievementForm";
import { transformAchievement } from "./transform";
import { useSaveWarnings } from "./useSaveWarnings";

export const AchievementCreate = () => {
  const onSuccess = useSaveWarnings("created");
  return (
    <Create transform={transformAchievement} mutationOptions={{ onSuccess }}>
      <AchievementForm />
    </Create>
  );
};
