import { CheckboxGroupInput, regex, required, SimpleForm, TextInput } from "react-admin";
import { FormToolbar } from "../../layout/FormToolbar";

export const MODULE_CHOICES = [
  { id: "achievements-gamification", name: "Achievements and gamification" },
  { id: "certification-training", name: "Certification and training" },
];

/** The settings an organization admin may change: modules on/off, time zone, currency, locale. */
export const OrganizationForm = ({ withDelete = true }: { withDelete?: boolean }) => (
  <SimpleForm
    defaultValues={{ modules: ["achievements-gamification"], timeZone: "UTC", currency: "EUR", locale: "en" }}
    toolbar={<FormToolbar deletePermission={withDelete ? "manage:platform" : undefined} />}
  >
    <TextInput source="name" validate={required()} />
    <TextInput
      source="slug"
      validate={[required(), regex(/^[a-z0-9][a-z0-9-]*$/, "Lowercase letters, digits and hyphens")]}
    />
    <CheckboxGroupInput source="modules" choices={MODULE_CHOICES} />
    <TextInput source="timeZone" label="Time zone" helperText="IANA, e.g. Europe/Oslo" />
    <TextInput source="currency" helperText="ISO 4217, e.g. NOK" />
    <TextInput source="locale" helperText="BCP 47, e.g. nb or en" />
  </SimpleForm>
);
