import { Alert } from "@mui/material";
import { AutocompleteArrayInput, FormDataConsumer, ReferenceArrayInput } from "react-admin";
import { useRuleWeightSum } from "./useRuleWeights";

const WeightSum = ({ ruleIds }: { ruleIds: string[] | undefined }) => {
  const { sum, isPending } = useRuleWeightSum(ruleIds);
  if ((ruleIds?.length ?? 0) === 0 || isPending) return null;
  return (
    <Alert severity={sum === 100 ? "success" : "warning"} sx={{ mb: 2 }} data-testid="rule-weight-sum">
      Sum of rule weights: {sum} / 100
    </Alert>
  );
};

/** Pick one or more rules; the sum of their weights shows as they are picked. */
export const RulesInput = () => (
  <>
    <ReferenceArrayInput
      source="ruleIds"
      reference="AchievementRule"
      perPage={500}
      sort={{ field: "name", order: "ASC" }}
    >
      <AutocompleteArrayInput
        label="Rules"
        filterToQuery={(q: string) => ({ q })}
        helperText="Select one or more achievement rules (rules trigger)"
      />
    </ReferenceArrayInput>
    <FormDataConsumer<{ triggerType?: string; ruleIds?: string[] }>>
      {({ formData }) => (formData.triggerType === "rules" ? <WeightSum ruleIds={formData.ruleIds} /> : null)}
    </FormDataConsumer>
  </>
);
