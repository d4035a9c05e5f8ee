import {
  ArrayInput,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
} from "react-admin";
import { FormToolbar } from "../../layout/FormToolbar";

const BASES = ["hours", "activities", "contacts"].map((id) => ({ id, name: id }));

export const AdvantageParameterForm = ({ creating = false }: { creating?: boolean }) => (
  <SimpleForm
    defaultValues={{ year: new Date().getFullYear(), benefitCategories: [] }}
    toolbar={<FormToolbar deletePermission="manage:organization" />}
  >
    <NumberInput source="year" validate={required()} disabled={!creating} />
    <NumberInput source="hourlyRate" label="Hourly rate" validate={required()} />
    <TextInput source="currency" helperText="Default: the organization's currency" />
    <TextInput source="source" validate={required()} helperText="Where the rate comes from" fullWidth />
    <ArrayInput source="benefitCategories" label="Benefit categories">
      <SimpleFormIterator inline disableReordering>
        <TextInput source="key" validate={required()} />
        <TextInput source="label" validate={required()} />
        <SelectInput source="basis" choices={BASES} validate={required()} />
        <NumberInput source="rate" validate={required()} />
      </SimpleFormIterator>
    </ArrayInput>
  </SimpleForm>
);
