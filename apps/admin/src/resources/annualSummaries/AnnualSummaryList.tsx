import ReplayIcon from "@mui/icons-material/Replay";
import { Button } from "@mui/material";
import {
  BooleanField,
  DataTable,
  DateField,
  List,
  NumberInput,
  ReferenceField,
  SelectInput,
  useNotify,
  useRecordContext,
  useRefresh,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { useLaurelDataProvider } from "../../hooks/useLaurelDataProvider";

const STATUSES = ["pending", "processing", "ready", "failed"].map((id) => ({ id, name: id }));

const filters = [
  <SelectInput key="generationStatus" source="generationStatus" label="Status" choices={STATUSES} alwaysOn />,
  <NumberInput key="year" source="year" />,
];

/** Marks a summary pending; the scheduled job makes it again. */
const RequeueButton = () => {
  const summary = useRecordContext<{ userId: string; year: number }>();
  const dataProvider = useLaurelDataProvider();
  const notify = useNotify();
  const refresh = useRefresh();
  const { can } = useCan();
  if (!summary || !can("manage:organization")) return null;
  const requeue = async () => {
    try {
      await dataProvider.requeueAnnualSummary(summary.userId, summary.year);
      notify("Summary requeued", { type: "info" });
      refresh();
    } catch (error) {
      notify((error as Error).message, { type: "error" });
    }
  };
  return (
    <Button
      size="small"
      startIcon={<ReplayIcon />}
      onClick={(e) => {
        e.stopPropagation();
        void requeue();
      }}
    >
      Requeue
    </Button>
  );
};

export const AnnualSummaryList = () => (
  <List filters={filters} sort={{ field: "year", order: "DESC" }}>
    <DataTable rowClick={false} bulkActionButtons={false}>
      <DataTable.Col source="userId" label="User" disableSort>
        <ReferenceField source="userId" reference="User" link="show" />
      </DataTable.Col>
      <DataTable.NumberCol source="year" options={{ useGrouping: false }} />
      <DataTable.Col source="generationStatus" label="Status" />
      <DataTable.Col source="isPreview" label="Preview" disableSort>
        <BooleanField source="isPreview" />
      </DataTable.Col>
      <DataTable.NumberCol source="totalActivities" label="Activities" />
      <DataTable.NumberCol source="totalHours" label="Hours" />
      <DataTable.Col source="generatedAt" label="Generated" disableSort>
        <DateField source="generatedAt" showTime />
      </DataTable.Col>
      <DataTable.Col label={false}>
        <RequeueButton />
      </DataTable.Col>
    </DataTable>
  </List>
);
