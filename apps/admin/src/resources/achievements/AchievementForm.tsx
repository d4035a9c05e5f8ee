import { Alert, Typography } from "@mui/material";
import {
  ArrayInput,
  BooleanInput,
  DateTimeInput,
  FormDataConsumer,
  minValue,
  NumberInput,
  ReferenceInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  useRecordContext,
} from "react-admin";
import { RichTextInput } from "ra-input-rich-text";
import { JsonInput } from "../../inputs/JsonInput";
import { FormToolbar } from "../../layout/FormToolbar";
import { useCan } from "../../hooks/useCan";
import { useModuleChoices } from "../../hooks/usePlatformModules";
import { CATEGORY_CHOICES, REPEAT_PERIOD_CHOICES, TRIGGER_TYPE_CHOICES, type Achievement } from "./choices";
import { IconInput } from "./IconInput";
import { RulesInput } from "./RulesInput";
import { useRuleWeightValidation } from "./useRuleWeights";

const KEY_FORMAT = regex(
  /^[a-z][a-z0-9_]*$/,
  "Lowercase letters, digits and underscores, e.g. first_win (key_format)",
);

export const ACHIEVEMENT_DEFAULTS = {
  category: "milestone",
  triggerType: "rules",
  isActive: true,
  isHidden: false,
  isRepeatable: false,
  points: 0,
  sortOrder: 0,
  ruleIds: [],
  rewards: [],
};

const Section = ({ children }: { children: string }) => (
  <Typography variant="h6" sx={{ mt: 2, mb: 1 }}>
    {children}
  </Typography>
);

/** The module that gates the achievement: one the installation offers, or none. */
const RequiredModuleInput = () => {
  const record = useRecordContext<{ requiresModule?: string | null }>();
  const { choices } = useModuleChoices(record?.requiresModule ? [record.requiresModule] : []);
  return (
    <SelectInput
      source="requiresModule"
      label="Required module"
      choices={choices}
      emptyText="None: every organization"
      helperText="Shown and awarded only in organizations with this module enabled"
    />
  );
};

export const AchievementForm = () => {
  const record = useRecordContext<Achievement>();
  const { canWriteRow } = useCan();
  const validate = useRuleWeightValidation();
  const readOnly = !!record?.id && !canWriteRow("update:achievementDefinitions", record);
  return (
    <SimpleForm
      defaultValues={ACHIEVEMENT_DEFAULTS}
      validate={validate}
      toolbar={readOnly ? false : <FormToolbar deletePermission="delete:achievementDefinitions" />}
      sx={{ maxWidth: 820 }}
    >
      {readOnly && (
        <Alert severity="info" sx={{ mb: 2 }}>
          A platform-wide achievement: only a Global Administrator can change it.
        </Alert>
      )}
      <TextInput source="name" label="Name" validate={required()} />
      <TextInput
        source="key"
        label="Key"
        validate={[required(), KEY_FORMAT]}
        helperText="Unique slug, e.g. first_win"
      />
      <RichTextInput source="description" label="Description" validate={required()} />
      <IconInput />
      <SelectInput source="category" label="Category" choices={CATEGORY_CHOICES} validate={required()} />

      <Section>Trigger</Section>
      <SelectInput
        source="triggerType"
        label="Trigger type"
        choices={TRIGGER_TYPE_CHOICES}
        validate={required()}
      />
      <FormDataConsumer<{ triggerType?: string }>>
        {({ formData }) =>
          formData.triggerType && formData.triggerType !== "rules" && formData.triggerType !== "manual" ? (
            <NumberInput source="triggerThreshold" label="Threshold" validate={minValue(1)} />
          ) : null
        }
      </FormDataConsumer>
      <JsonInput
        source="triggerMetadata"
        label="Trigger metadata (JSON)"
        helperText='e.g. {"activity_type": "home_visit", "period": "calendar_year"}'
      />
      <RulesInput />

      <Section>Rewards</Section>
      <NumberInput source="points" label="Points" validate={minValue(0)} />
      <ArrayInput source="rewards" label="Rewards">
        <SimpleFormIterator inline disableReordering>
          <ReferenceInput
            source="consumableId"
            reference="Consumable"
            perPage={500}
            sort={{ field: "name", order: "ASC" }}
          >
            <SelectInput label="Consumable" validate={required()} />
          </ReferenceInput>
          <NumberInput source="quantity" label="Quantity" defaultValue={1} validate={minValue(1)} />
        </SimpleFormIterator>
      </ArrayInput>

      <Section>Availability</Section>
      <BooleanInput
        source="isActive"
        label="Is Active"
        helperText="Inactive achievements are not evaluated"
      />
      <BooleanInput
        source="isHidden"
        label="Is Hidden"
        helperText="Hidden achievements are not shown until completed"
      />
      <BooleanInput source="isRepeatable" label="Repeatable" />
      <FormDataConsumer<{ isRepeatable?: boolean }>>
        {({ formData }) =>
          formData.isRepeatable ? (
            <SelectInput source="repeatPeriod" label="Repeat period" choices={REPEAT_PERIOD_CHOICES} />
          ) : null
        }
      </FormDataConsumer>
      <DateTimeInput
        source="expiresAt"
        label="Expires At"
        helperText="Optional: a time-limited achievement"
      />
      <RequiredModuleInput />
      <NumberInput source="sortOrder" label="Sort order" validate={minValue(0)} />
    </SimpleForm>
  );
};
