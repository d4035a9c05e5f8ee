import { useDataProvider, useGetMany } from "react-admin";

type Rule = { id: string; weight: number };

export const RULE_WEIGHTS_MESSAGE = (sum: number) =>
  `The weights of the selected rules sum to ${sum}; they must sum to 100 (rule_weights_sum_100)`;

/** The live sum of the selected rules' weights. */
export function useRuleWeightSum(ruleIds: string[] | undefined) {
  const ids = ruleIds ?? [];
  const { data, isPending } = useGetMany<Rule>("AchievementRule", { ids }, { enabled: ids.length > 0 });
  const sum = ids.length === 0 ? 0 : (data ?? []).reduce((total, rule) => total + (rule?.weight ?? 0), 0);
  return { sum, isPending: ids.length > 0 && isPending };
}

/** Form-level check of seed 001's rule: with the rules trigger, the rules' weights sum to 100. */
export function useRuleWeightValidation() {
  const dataProvider = useDataProvider();
  return async (values: Record<string, unknown>) => {
    const ruleIds = (values.ruleIds as string[] | undefined) ?? [];
    if (values.triggerType !== "rules") return {};
    if (ruleIds.length === 0) {
      return { ruleIds: "An achievement with the rules trigger needs at least one rule (rules_required)" };
    }
    const { data } = await dataProvider.getMany<Rule>("AchievementRule", { ids: ruleIds });
    const sum = data.reduce((total, rule) => total + rule.weight, 0);
    return sum === 100 ? {} : { ruleIds: RULE_WEIGHTS_MESSAGE(sum) };
  };
}
