import {
  DataTable,
  DateField,
  NullableBooleanInput,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectInput,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { GatedList } from "../../layout/GatedList";
import type { WebhookEndpoint } from "../../providers/webhooks";
import { DeliveryStatsField } from "./DeliveryStatsField";
import { EndpointStatusField } from "./EndpointStatusField";

const filters = (isGlobalAdmin: boolean) => [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search URL or description" />,
  <NullableBooleanInput key="enabled" source="enabled" label="Enabled" />,
  ...(isGlobalAdmin
    ? [
        <ReferenceInput key="organizationId" source="organizationId" reference="Organization">
          <SelectInput label="Organization" />
        </ReferenceInput>,
      ]
    : []),
];

export const WebhookEndpointList = () => {
  const { isGlobalAdmin } = useCan();
  return (
    <GatedList
      createPermission="manage:webhooks"
      filters={filters(isGlobalAdmin)}
      sort={{ field: "createdAt", order: "DESC" }}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="url" label="URL" />
        {isGlobalAdmin && (
          <DataTable.Col source="organizationId" label="Organization" disableSort>
            <ReferenceField source="organizationId" reference="Organization" link={false} />
          </DataTable.Col>
        )}
        <DataTable.Col
          source="eventTypes"
          label="Event types"
          disableSort
          render={(e: WebhookEndpoint) => e.eventTypes.join(", ")}
        />
        <DataTable.Col source="enabled" label="Status" disableSort>
          <EndpointStatusField />
        </DataTable.Col>
        <DataTable.Col label="Deliveries" disableSort>
          <DeliveryStatsField />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label="Created">
          <DateField source="createdAt" showTime />
        </DataTable.Col>
      </DataTable>
    </GatedList>
  );
};
