import {
  BooleanField,
  DataTable,
  DateField,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectInput,
} from "react-admin";
import { GatedList } from "../../layout/GatedList";

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search name or email" />,
  <ReferenceInput key="roleId" source="roleId" reference="Role">
    <SelectInput label="Role" />
  </ReferenceInput>,
];

export const UserList = () => (
  <GatedList createPermission="manage:users" filters={filters} sort={{ field: "displayName", order: "ASC" }}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="displayName" label="Name" />
      <DataTable.Col source="email" />
      <DataTable.Col source="roleId" label="Role" disableSort>
        <ReferenceField source="roleId" reference="Role" link={false} />
      </DataTable.Col>
      <DataTable.Col source="isActive" label="Active" disableSort>
        <BooleanField source="isActive" />
      </DataTable.Col>
      <DataTable.Col source="lastSignInAt" label="Last sign-in">
        <DateField source="lastSignInAt" showTime />
      </DataTable.Col>
    </DataTable>
  </GatedList>
);
