import { Alert } from "@mui/material";
import {
  BooleanInput,
  CheckboxGroupInput,
  regex,
  required,
  SimpleForm,
  TextInput,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { FormToolbar } from "../../layout/FormToolbar";
import { PERMISSION_CHOICES } from "./permissions";

export const RoleForm = ({ creating = false }: { creating?: boolean }) => {
  const record = useRecordContext<{ isBuiltIn?: boolean }>();
  const { isGlobalAdmin } = useCan();
  const readOnly = !creating && !!record?.isBuiltIn && !isGlobalAdmin;
  const choices = isGlobalAdmin
    ? PERMISSION_CHOICES
    : PERMISSION_CHOICES.filter((p) => p.id !== "manage:platform");
  return (
    <SimpleForm
      defaultValues={{ permissions: [], isParticipant: false }}
      toolbar={readOnly ? false : <FormToolbar deletePermission="manage:roles" />}
    >
      {readOnly && <Alert severity="info">A built-in role: it cannot be changed.</Alert>}
      <TextInput source="name" validate={required()} />
      <TextInput
        source="key"
        validate={[
          required(),
          regex(/^[a-z][a-z0-9_]*$/, "Lowercase letters, digits and underscores (key_format)"),
        ]}
        disabled={!creating}
      />
      <TextInput source="description" multiline />
      <BooleanInput source="isParticipant" label="Participants (earn badges and get Wrapped)" />
      <CheckboxGroupInput source="permissions" choices={choices} row={false} />
    </SimpleForm>
  );
};
