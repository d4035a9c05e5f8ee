import { FormToolbar } from "../../layout/FormToolbar";
import { NumberInput, required, SelectInput, SimpleForm, TextInput } from "react-admin";

export const CONSUMABLE_TYPES = ["exp", "points", "item", "currency", "boost"].map((id) => ({
  id,
  name: id,
}));

export const ConsumableForm = () => (
  <SimpleForm toolbar={<FormToolbar deletePermission="delete:consumables" />}>
    <TextInput source="name" label="Name" validate={required()} />
    <SelectInput source="type" label="Type" choices={CONSUMABLE_TYPES} validate={required()} />
    <NumberInput source="value" label="Value" validate={required()} />
    <TextInput source="description" label="Description" multiline />
  </SimpleForm>
);
