import { BooleanField, DataTable } from "react-admin";
import { GatedList } from "../../layout/GatedList";

export const RoleList = () => (
  <GatedList createPermission="manage:roles" sort={{ field: "name", order: "ASC" }}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="name" />
      <DataTable.Col source="key" />
      <DataTable.Col
        source="permissions"
        disableSort
        render={(r: { permissions: string[] }) => r.permissions.join(", ")}
      />
      <DataTable.Col source="isBuiltIn" label="Built-in" disableSort>
        <BooleanField source="isBuiltIn" />
      </DataTable.Col>
    </DataTable>
  </GatedList>
);
