import { DataTable, SearchInput, SelectInput } from "react-admin";
import { useCan } from "../../hooks/useCan";
import { GatedList } from "../../layout/GatedList";
import { CONSUMABLE_TYPES } from "./ConsumableForm";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="type" source="type" choices={CONSUMABLE_TYPES} />,
];

export const ConsumableList = () => {
  const { canWriteRow } = useCan();
  return (
    <GatedList createPermission="create:consumables" filters={filters} sort={{ field: "name", order: "ASC" }}>
      <DataTable
        rowClick={(_id, _resource, record) => (canWriteRow("update:consumables", record) ? "edit" : false)}
        bulkActionButtons={false}
      >
        <DataTable.Col source="name" />
        <DataTable.Col source="type" />
        <DataTable.NumberCol source="value" />
        <DataTable.Col source="description" disableSort />
      </DataTable>
    </GatedList>
  );
};
