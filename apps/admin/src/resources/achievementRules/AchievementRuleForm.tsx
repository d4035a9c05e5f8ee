import {
  AutocompleteInput,
  maxValue,
  minValue,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
} from "react-admin";
import { FormToolbar } from "../../layout/FormToolbar";
import { COMPARATOR_CHOICES } from "./comparators";

const metricText = (metric: { name: string; key: string }) => `${metric.name} (${metric.key})`;

export const AchievementRuleForm = () => (
  <SimpleForm
    toolbar={<FormToolbar deletePermission="delete:achievementRules" />}
    defaultValues={{ comparator: "gte", weight: 100 }}
  >
    <TextInput source="name" label="Name" validate={required()} />
    <ReferenceInput
      source="metricId"
      reference="Metric"
      filter={{ isActive: true }}
      sort={{ field: "key", order: "ASC" }}
      perPage={500}
    >
      <AutocompleteInput
        label="Field (metric)"
        optionText={metricText}
        validate={required()}
        filterToQuery={(q: string) => ({ q })}
      />
    </ReferenceInput>
    <SelectInput source="comparator" label="Comparator" choices={COMPARATOR_CHOICES} validate={required()} />
    <NumberInput source="target" label="Target" validate={required()} />
    <NumberInput
      source="weight"
      label="Weight"
      validate={[required(), minValue(0), maxValue(100)]}
      helperText="Contribution to achievement progress (0-100)"
    />
  </SimpleForm>
);
