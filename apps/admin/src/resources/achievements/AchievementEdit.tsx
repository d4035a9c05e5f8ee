import { Edit, ShowButton, TopToolbar } from "react-admin";
import { AchievementForm } from "./AchievementForm";
import { BackfillButton } from "./BackfillButton";
import { transformAchievement } from "./transform";
import { useSaveWarnings } from "./useSaveWarnings";

const EditActions = () => (
  <TopToolbar>
    <BackfillButton />
    <ShowButton />
  </TopToolbar>
);

export const AchievementEdit = () => {
  const onSuccess = useSaveWarnings("updated");
  return (
    <Edit
      mutationMode="pessimistic"
      transform={transformAchievement}
      mutationOptions={{ onSuccess }}
      actions={<EditActions />}
    >
      <AchievementForm />
    </Edit>
  );
};
