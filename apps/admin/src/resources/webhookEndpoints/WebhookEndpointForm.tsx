import { Alert } from "@mui/material";
import {
  AutocompleteInput,
  BooleanInput,
  CheckboxGroupInput,
  ReferenceInput,
  regex,
  required,
  SimpleForm,
  TextInput,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { FormToolbar } from "../../layout/FormToolbar";
import type { WebhookEndpoint } from "../../providers/webhooks";
import { disabledReasonText } from "./EndpointStatusField";
import { useWebhookEventTypes } from "./useWebhookEventTypes";

const EventTypesInput = () => {
  const record = useRecordContext<WebhookEndpoint>();
  const { choices, error } = useWebhookEventTypes(record?.eventTypes);
  if (error) return <Alert severity="error">Could not load the event types: {error.message}</Alert>;
  return (
    <CheckboxGroupInput
      source="eventTypes"
      label="Event types"
      choices={choices}
      row={false}
      validate={required("Choose at least one event type")}
    />
  );
};

/** On, or off with the reason; turning a disabled endpoint on again clears its failure record. */
const EnabledInput = () => {
  const record = useRecordContext<WebhookEndpoint>();
  const reason = record && !record.enabled ? disabledReasonText(record.disabledReason) : undefined;
  return (
    <BooleanInput
      source="enabled"
      label="Enabled"
      helperText={reason ? `${reason}. Turn it on to deliver again.` : "Off: nothing is delivered to it"}
    />
  );
};

/** Global Administrators choose the tenant; an organization admin's endpoints are their organization's. */
const OrganizationInput = () => (
  <ReferenceInput source="organizationId" reference="Organization" sort={{ field: "name", order: "ASC" }}>
    <AutocompleteInput label="Organization" validate={required()} />
  </ReferenceInput>
);

export const WebhookEndpointForm = ({ creating = false }: { creating?: boolean }) => {
  const { isGlobalAdmin } = useCan();
  return (
    <SimpleForm toolbar={<FormToolbar deletePermission="manage:webhooks" />}>
      {creating && isGlobalAdmin && <OrganizationInput />}
      <TextInput
        source="url"
        label="URL"
        validate={[required(), regex(/^https?:\/\/\S+$/i, "An http(s) URL, e.g. https://example.com/laurel")]}
        helperText="Where Laurel posts the events; https in production"
      />
      <EventTypesInput />
      <TextInput source="description" multiline helperText="For you: what receives these events" />
      {!creating && <EnabledInput />}
    </SimpleForm>
  );
};
