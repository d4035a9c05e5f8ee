import { DataTable, DateField, Pagination, ReferenceManyField } from "react-admin";
import type { WebhookDelivery } from "../../providers/webhooks";
import { DeliveryStatusField, isUnfinished, nextAttemptText } from "./DeliveryStatusField";
import { LastResponseField } from "./LastResponseField";
import { ReplayDeliveryButton } from "./ReplayDeliveryButton";

const POLL_MS = 2000;

/** While the dispatcher still has one of the shown deliveries, the log asks again. */
const refetchInterval = (query: { state: { data?: { data: WebhookDelivery[] } } }) =>
  query.state.data?.data.some(isUnfinished) ? POLL_MS : false;

/** An endpoint's deliveries, newest first; a row opens the delivery with its payload. */
export const DeliveryLog = (_props: { label?: false }) => (
  <ReferenceManyField
    reference="WebhookDelivery"
    target="endpointId"
    sort={{ field: "createdAt", order: "DESC" }}
    perPage={25}
    pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
    queryOptions={{ refetchInterval }}
    empty="No deliveries yet"
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="status" label="Status">
        <DeliveryStatusField />
      </DataTable.Col>
      <DataTable.Col source="eventType" label="Event" />
      <DataTable.NumberCol source="attempts" label="Attempts" />
      <DataTable.Col label="Last response" disableSort>
        <LastResponseField />
      </DataTable.Col>
      <DataTable.Col source="nextAttemptAt" label="Next attempt" render={nextAttemptText} />
      <DataTable.Col source="createdAt" label="Created">
        <DateField source="createdAt" showTime />
      </DataTable.Col>
      <DataTable.Col label={false}>
        <ReplayDeliveryButton />
      </DataTable.Col>
    </DataTable>
  </ReferenceManyField>
);
