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
import { useModuleChoices } from "../../hooks/usePlatformModules";
import { FormToolbar } from "../../layout/FormToolbar";

/** Modules are the installation's licence: offered by the platform, enabled by a Global Administrator. */
const ModulesInput = () => {
  const record = useRecordContext<{ modules?: string[] }>();
  const { isGlobalAdmin } = useCan();
  const { choices } = useModuleChoices(record?.modules);
  return (
    <CheckboxGroupInput
      source="modules"
      choices={choices}
      disabled={!isGlobalAdmin}
      helperText={
        isGlobalAdmin
          ? "Members who already qualify for a newly enabled module's achievements get them in the background"
          : "Modules are enabled by a Global Administrator"
      }
    />
  );
};

/**
 * An organization's settings: name, slug, time zone, currency, locale, the emails its members get; its
 * modules for Global Administrators.
 */
export const OrganizationForm = ({ withDelete = true }: { withDelete?: boolean }) => (
  <SimpleForm
    defaultValues={{
      modules: ["achievements-gamification"],
      timeZone: "UTC",
      currency: "EUR",
      locale: "en",
      emailAwards: false,
      emailSummaries: false,
    }}
    toolbar={<FormToolbar deletePermission={withDelete ? "manage:platform" : undefined} />}
  >
    <TextInput source="name" validate={required()} />
    <TextInput
      source="slug"
      validate={[required(), regex(/^[a-z0-9][a-z0-9-]*$/, "Lowercase letters, digits and hyphens")]}
    />
    <ModulesInput />
    <TextInput source="timeZone" label="Time zone" helperText="IANA, e.g. Europe/Oslo" />
    <TextInput source="currency" helperText="ISO 4217, e.g. NOK" />
    <TextInput source="locale" helperText="BCP 47, e.g. nb or en" />
    <BooleanInput
      source="emailAwards"
      label="Email members their awards"
      helperText="Each new badge, with its points and rewards, in the member's language; each member may opt out"
    />
    <BooleanInput
      source="emailSummaries"
      label="Email members when their Wrapped is ready"
      helperText="With a link to it in the player app; each member may opt out"
    />
  </SimpleForm>
);
