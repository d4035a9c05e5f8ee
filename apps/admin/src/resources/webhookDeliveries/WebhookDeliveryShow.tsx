import {
  DateField,
  FunctionField,
  NumberField,
  ReferenceField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
} from "react-admin";
import type { WebhookDelivery } from "../../providers/webhooks";
import { DeliveryStatusField, isUnfinished, nextAttemptText } from "./DeliveryStatusField";
import { LastResponseField } from "./LastResponseField";
import { PayloadField } from "./PayloadField";
import { ReplayDeliveryButton } from "./ReplayDeliveryButton";

const POLL_MS = 1000;

/** Until the dispatcher is done with it, the page asks again. */
const refetchInterval = (query: { state: { data?: WebhookDelivery } }) =>
  query.state.data && isUnfinished(query.state.data) ? POLL_MS : false;

/** One delivery: its attempts, the receiver's last answer, and the payload as sent. */
export const WebhookDeliveryShow = () => (
  <Show
    queryOptions={{ refetchInterval }}
    actions={
      <TopToolbar>
        <ReplayDeliveryButton />
      </TopToolbar>
    }
  >
    <SimpleShowLayout>
      <ReferenceField source="endpointId" reference="WebhookEndpoint" label="Endpoint" link="show" />
      <TextField source="eventType" label="Event" />
      <TextField source="outboxId" label="Event id (webhook-id)" />
      <DeliveryStatusField label="Status" />
      <NumberField source="attempts" label="Attempts" />
      <LastResponseField label="Last response" full />
      <DateField source="lastAttemptAt" label="Last attempt" showTime emptyText="-" />
      <FunctionField label="Next attempt" render={nextAttemptText} />
      <DateField source="deliveredAt" label="Delivered" showTime emptyText="-" />
      <DateField source="createdAt" label="Created" showTime />
      <PayloadField label="Payload" />
    </SimpleShowLayout>
  </Show>
);
