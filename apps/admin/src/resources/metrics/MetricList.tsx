import { BooleanField, DataTable, NullableBooleanInput, SearchInput } from "react-admin";
import { GatedList } from "../../layout/GatedList";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <NullableBooleanInput key="isBuiltIn" source="isBuiltIn" label="Shipped with Laurel" />,
];

export const MetricList = () => (
  <GatedList
    createPermission="create:metrics"
    filters={filters}
    sort={{ field: "key", order: "ASC" }}
    perPage={50}
  >
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="key" />
      <DataTable.Col source="name" />
      <DataTable.Col
        source="eventTypes"
        label="Event types"
        disableSort
        render={(m: { eventTypes: string[] }) => m.eventTypes.join(", ")}
      />
      <DataTable.Col source="aggregation" disableSort />
      <DataTable.Col source="window" disableSort />
      <DataTable.Col source="isActive" label="Active" disableSort>
        <BooleanField source="isActive" />
      </DataTable.Col>
      <DataTable.Col
        source="organizationId"
        label="Shipped"
        disableSort
        render={(m: { organizationId?: string | null }) => (m.organizationId ? "" : "shipped")}
      />
    </DataTable>
  </GatedList>
);
