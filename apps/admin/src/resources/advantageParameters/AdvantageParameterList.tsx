import { CreateButton, DataTable, List, TopToolbar } from "react-admin";

export const AdvantageParameterList = () => (
  <List
    actions={
      <TopToolbar>
        <CreateButton />
      </TopToolbar>
    }
    sort={{ field: "year", order: "DESC" }}
  >
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.NumberCol source="year" options={{ useGrouping: false }} />
      <DataTable.NumberCol source="hourlyRate" label="Hourly rate" disableSort />
      <DataTable.Col source="currency" disableSort />
      <DataTable.Col source="source" disableSort />
      <DataTable.Col
        source="benefitCategories"
        label="Benefit categories"
        disableSort
        render={(p: { benefitCategories: { label: string }[] }) =>
          p.benefitCategories.map((c) => c.label).join(", ")
        }
      />
    </DataTable>
  </List>
);
