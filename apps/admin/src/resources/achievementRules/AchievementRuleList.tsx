import {
  DataTable,
  DeleteButton,
  ReferenceField,
  SearchInput,
  SelectField,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { GatedList } from "../../layout/GatedList";
import { COMPARATOR_CHOICES } from "./comparators";

export const AchievementRuleList = () => {
  const { can, canWriteRow } = useCan();
  return (
    <GatedList
      createPermission="create:achievementRules"
      filters={[<SearchInput key="q" source="q" alwaysOn />]}
      sort={{ field: "name", order: "ASC" }}
    >
      <DataTable
        rowClick={(_id, _resource, record) =>
          canWriteRow("update:achievementRules", record) ? "edit" : false
        }
        bulkActionButtons={false}
      >
        <DataTable.Col source="name" label="Name" />
        <DataTable.Col source="metricId" label="Field (metric)" disableSort>
          <ReferenceField source="metricId" reference="Metric" link={false}>
            {/* key beside name: rules are written against keys */}
            <MetricLabel />
          </ReferenceField>
        </DataTable.Col>
        <DataTable.Col source="comparator" label="Comparator" disableSort>
          <SelectField source="comparator" choices={COMPARATOR_CHOICES} />
        </DataTable.Col>
        <DataTable.NumberCol source="target" label="Target" disableSort />
        <DataTable.NumberCol source="weight" label="Weight" />
        {can("delete:achievementRules") && (
          <DataTable.Col label={false}>
            <RowDelete />
          </DataTable.Col>
        )}
      </DataTable>
    </GatedList>
  );
};

const MetricLabel = () => {
  const metric = useRecordContext<{ name: string; key: string }>();
  return metric ? (
    <span>
      {metric.name} ({metric.key})
    </span>
  ) : null;
};

const RowDelete = () => {
  const record = useRecordContext<{ organizationId?: string | null }>();
  const { canWriteRow } = useCan();
  return canWriteRow("delete:achievementRules", record) ? <DeleteButton mutationMode="pessimistic" /> : null;
};
