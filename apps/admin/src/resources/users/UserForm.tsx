import {
  BooleanInput,
  email,
  PasswordInput,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from "react-admin";
import { FormToolbar } from "../../layout/FormToolbar";

export const UserForm = ({ creating = false }: { creating?: boolean }) => (
  <SimpleForm toolbar={<FormToolbar deletePermission="manage:users" />} defaultValues={{ isActive: true }}>
    <TextInput source="displayName" label="Name" validate={required()} />
    <TextInput source="email" validate={[required(), email()]} />
    <ReferenceInput source="roleId" reference="Role" perPage={100} sort={{ field: "name", order: "ASC" }}>
      <SelectInput label="Role" validate={required()} />
    </ReferenceInput>
    <PasswordInput
      source="password"
      label={creating ? "Password" : "New password"}
      helperText="For admins and coordinators; participants sign in with codes"
    />
    <TextInput source="locale" helperText="e.g. en or nb" />
    <BooleanInput source="isActive" label="Active" />
  </SimpleForm>
);
