import {
  BooleanInput,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
  regex,
  useRecordContext,
} from "react-admin";
import { Alert } from "@mui/material";
import { JsonInput } from "../../inputs/JsonInput";
import { FormToolbar } from "../../layout/FormToolbar";
import { useCan } from "../../hooks/useCan";
import { CsvArrayInput } from "../../inputs/CsvArrayInput";

const choices = (ids: string[]) => ids.map((id) => ({ id, name: id.replace(/_/g, " ") }));
export const AGGREGATIONS = choices([
  "count",
  "sum",
  "max",
  "latest",
  "boolean",
  "distinct",
  "current_streak",
  "longest_streak",
]);
export const WINDOWS = choices(["all_time", "calendar_year", "calendar_month", "calendar_week"]);
export const STREAK_UNITS = choices(["events", "days"]);

export const MetricForm = ({ creating = false }: { creating?: boolean }) => {
  const record = useRecordContext<{ organizationId?: string | null }>();
  const { canWriteRow } = useCan();
  const readOnly = !creating && !canWriteRow("update:metrics", record);
  return (
    <SimpleForm
      defaultValues={{
        aggregation: "count",
        window: "all_time",
        isActive: true,
        eventTypes: [],
        resetEventTypes: [],
      }}
      toolbar={readOnly ? false : <FormToolbar deletePermission="delete:metrics" />}
    >
      {readOnly && (
        <Alert severity="info">Shipped with Laurel: only a Global Administrator can change it.</Alert>
      )}
      <TextInput
        source="key"
        validate={[
          required(),
          regex(/^[a-z][a-z0-9_]*$/, "Lowercase letters, digits and underscores (key_format)"),
        ]}
        disabled={!creating}
      />
      <TextInput source="name" validate={required()} />
      <TextInput source="description" multiline />
      <CsvArrayInput source="eventTypes" label="Event types" helperText="Comma-separated, e.g. match_won" />
      <SelectInput source="aggregation" choices={AGGREGATIONS} validate={required()} />
      <TextInput
        source="distinctAttribute"
        label="Distinct attribute"
        helperText="For distinct: the attribute counted"
      />
      <JsonInput source="filter" label="Filter (JSON)" helperText='e.g. {"activity_type": "home_visit"}' />
      <SelectInput source="window" choices={WINDOWS} />
      <SelectInput source="streakUnit" label="Streak unit" choices={STREAK_UNITS} emptyText="(none)" />
      <CsvArrayInput
        source="resetEventTypes"
        label="Reset event types"
        helperText="For streaks: event types that break the run"
      />
      <BooleanInput source="isActive" label="Active" />
    </SimpleForm>
  );
};
