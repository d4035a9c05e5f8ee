import { Alert, CircularProgress, Stack } from "@mui/material";
import {
  BooleanField,
  DateField,
  EditButton,
  EmailField,
  ReferenceField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { GrantAchievementButton } from "./GrantAchievementButton";
import { UserProgress } from "./UserProgress";
import { UserStanding } from "./UserStanding";
import { useUserProgress } from "./useUserProgress";

const Progress = () => {
  const user = useRecordContext<{ id: string }>();
  const { progress, standing } = useUserProgress(user?.id);
  const refresh = () => {
    progress.refetch();
    standing.refetch();
  };
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <TopToolbar sx={{ justifyContent: "flex-start" }}>
        <GrantAchievementButton onGranted={refresh} />
      </TopToolbar>
      {progress.error && <Alert severity="error">{progress.error.message}</Alert>}
      {progress.isPending && !progress.data ? (
        <CircularProgress size={24} />
      ) : (
        progress.data && <UserProgress badges={progress.data} onRefresh={refresh} />
      )}
      {standing.data && <UserStanding standing={standing.data} />}
    </Stack>
  );
};

const ShowActions = () => {
  const { can } = useCan();
  return <TopToolbar>{can("manage:users") && <EditButton />}</TopToolbar>;
};

export const UserShow = () => (
  <Show actions={<ShowActions />}>
    <SimpleShowLayout>
      <TextField source="displayName" label="Name" />
      <EmailField source="email" />
      <ReferenceField source="roleId" reference="Role" label="Role" link={false} />
      <BooleanField source="isActive" label="Active" />
      {/* The person's own choice (the link in the emails, or the player app): shown, not edited. */}
      <BooleanField source="emailOptOut" label="Opted out of award and Wrapped emails" />
      <DateField source="lastSignInAt" label="Last sign-in" showTime emptyText="never" />
      <Progress />
    </SimpleShowLayout>
  </Show>
);
