import { CreateButton, DataTable, List, SearchInput, TopToolbar } from "react-admin";

const filters = [<SearchInput key="q" source="q" alwaysOn />];

export const OrganizationList = () => (
  <List
    actions={
      <TopToolbar>
        <CreateButton />
      </TopToolbar>
    }
    filters={filters}
    sort={{ field: "name", order: "ASC" }}
  >
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="name" />
      <DataTable.Col source="slug" />
      <DataTable.Col
        source="modules"
        disableSort
        render={(o: { modules: string[] }) => o.modules.join(", ")}
      />
      <DataTable.Col source="timeZone" label="Time zone" disableSort />
      <DataTable.Col source="currency" disableSort />
      <DataTable.Col source="locale" disableSort />
    </DataTable>
  </List>
);
