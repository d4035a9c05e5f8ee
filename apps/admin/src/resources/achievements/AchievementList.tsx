import { Avatar } from "@mui/material";
import {
  BooleanField,
  DataTable,
  EditButton,
  NullableBooleanInput,
  SearchInput,
  SelectField,
  SelectInput,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { GatedList } from "../../layout/GatedList";
import { CATEGORY_CHOICES, TRIGGER_TYPE_CHOICES, type Achievement } from "./choices";

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="category" source="category" label="Category" choices={CATEGORY_CHOICES} />,
  <NullableBooleanInput key="isActive" source="isActive" label="Active" />,
  <NullableBooleanInput key="isHidden" source="isHidden" label="Hidden" />,
  <SelectInput key="triggerType" source="triggerType" label="Trigger type" choices={TRIGGER_TYPE_CHOICES} />,
];

const Thumbnail = () => {
  const record = useRecordContext<Achievement>();
  return (
    <Avatar src={record?.iconUrl ?? undefined} alt="" variant="rounded" sx={{ width: 32, height: 32 }}>
      {record?.name?.[0]}
    </Avatar>
  );
};

/** Edit controls only where the admin may change this row: platform-wide ones are the Global Administrators'. */
const RowEdit = () => {
  const record = useRecordContext<Achievement>();
  const { canWriteRow } = useCan();
  return canWriteRow("update:achievementDefinitions", record) ? <EditButton /> : null;
};

export const AchievementList = () => {
  const { canWriteRow } = useCan();
  return (
    <GatedList
      createPermission="create:achievementDefinitions"
      filters={filters}
      sort={{ field: "sortOrder", order: "ASC" }}
    >
      <DataTable
        rowClick={(_id, _resource, record) =>
          canWriteRow("update:achievementDefinitions", record) ? "edit" : "show"
        }
        bulkActionButtons={false}
      >
        <DataTable.Col label="Icon" disableSort>
          <Thumbnail />
        </DataTable.Col>
        <DataTable.Col source="name" />
        <DataTable.Col source="key" />
        <DataTable.Col source="category">
          <SelectField source="category" choices={CATEGORY_CHOICES} />
        </DataTable.Col>
        <DataTable.Col source="triggerType" label="Trigger" disableSort />
        <DataTable.NumberCol source="points" />
        <DataTable.Col source="isActive" label="Active" disableSort>
          <BooleanField source="isActive" />
        </DataTable.Col>
        <DataTable.Col source="isHidden" label="Hidden" disableSort>
          <BooleanField source="isHidden" />
        </DataTable.Col>
        <DataTable.Col source="isPlatform" label="Platform-wide" disableSort>
          <BooleanField source="isPlatform" />
        </DataTable.Col>
        <DataTable.NumberCol source="sortOrder" label="Sort order" />
        <DataTable.Col label={false}>
          <RowEdit />
        </DataTable.Col>
      </DataTable>
    </GatedList>
  );
};
