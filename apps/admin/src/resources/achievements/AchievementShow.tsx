import {
  ArrayField,
  BooleanField,
  DataTable,
  DateField,
  EditButton,
  ImageField,
  NumberField,
  ReferenceArrayField,
  ReferenceField,
  RichTextField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from "react-admin";
import { useCan } from "../../hooks/useCan";
import { BackfillButton } from "./BackfillButton";
import type { Achievement } from "./choices";

const ShowActions = () => {
  const record = useRecordContext<Achievement>();
  const { canWriteRow } = useCan();
  return (
    <TopToolbar>
      {canWriteRow("update:achievementDefinitions", record) && (
        <>
          <BackfillButton />
          <EditButton />
        </>
      )}
    </TopToolbar>
  );
};

export const AchievementShow = () => (
  <Show actions={<ShowActions />}>
    <SimpleShowLayout>
      <ImageField source="iconUrl" label="Badge" sx={{ "& img": { maxWidth: 96, maxHeight: 96 } }} />
      <TextField source="name" />
      <TextField source="key" />
      <RichTextField source="description" />
      <TextField source="category" />
      <TextField source="triggerType" label="Trigger type" />
      <NumberField source="triggerThreshold" label="Threshold" emptyText="-" />
      <NumberField source="points" />
      <BooleanField source="isActive" label="Is Active" />
      <BooleanField source="isHidden" label="Is Hidden" />
      <BooleanField source="isPlatform" label="Platform-wide" />
      <DateField source="expiresAt" label="Expires At" showTime emptyText="-" />
      <ReferenceArrayField source="ruleIds" reference="AchievementRule" label="Rules" />
      <ArrayField source="rewards" label="Rewards">
        <DataTable bulkActionButtons={false} rowClick={false}>
          <DataTable.Col source="consumableId" label="Consumable">
            <ReferenceField source="consumableId" reference="Consumable" link={false} />
          </DataTable.Col>
          <DataTable.NumberCol source="quantity" />
        </DataTable>
      </ArrayField>
    </SimpleShowLayout>
  </Show>
);
