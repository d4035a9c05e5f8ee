import {
  DateField,
  EditButton,
  Show,
  TabbedShowLayout,
  TextArrayField,
  TextField,
  TopToolbar,
} from "react-admin";
import { DeliveryLog } from "../webhookDeliveries/DeliveryLog";
import { DeliveryStatsField } from "./DeliveryStatsField";
import { EndpointStatusField } from "./EndpointStatusField";
import { ReplayFailedButton } from "./ReplayFailedButton";
import { RotateSecretButton } from "./RotateSecretButton";
import { SendTestEventButton } from "./SendTestEventButton";

const ShowActions = () => (
  <TopToolbar>
    <SendTestEventButton />
    <RotateSecretButton />
    <EditButton />
  </TopToolbar>
);

/** An endpoint, and its delivery log in a tab of its own. */
export const WebhookEndpointShow = () => (
  <Show actions={<ShowActions />}>
    <TabbedShowLayout>
      <TabbedShowLayout.Tab label="Endpoint">
        <TextField source="url" label="URL" />
        <TextField source="description" emptyText="-" />
        <TextArrayField source="eventTypes" label="Event types" />
        <EndpointStatusField label="Status" />
        <DeliveryStatsField label="Deliveries" />
        <DateField source="previousSecretUntil" label="Previous secret signs until" showTime emptyText="-" />
        <DateField source="createdAt" label="Created" showTime />
        <DateField source="updatedAt" label="Updated" showTime />
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="Deliveries" path="deliveries">
        <ReplayFailedButton label={false} />
        <DeliveryLog label={false} />
      </TabbedShowLayout.Tab>
    </TabbedShowLayout>
  </Show>
);
