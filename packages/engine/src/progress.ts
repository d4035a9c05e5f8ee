export type Comparator = "gte" | "gt" | "lte" | "lt" | "eq" | "bool";

export type RuleValue = { comparator: Comparator; target: number; weight: number; value: number };

export type RuleProgress = { holds: boolean; contribution: number; remaining: number | null };

export type Progress = { progress: number; completed: boolean; rules: RuleProgress[] };

export function holds(comparator: Comparator, value: number, target: number): boolean {
  switch (comparator) {
    case "gte":
      return value >= target;
    case "gt":
      return value > target;
    case "lte":
      return value <= target;
    case "lt":
      return value < target;
    case "eq":
      return value === target;
    case "bool":
      return (value !== 0) === (target !== 0);
  }
}

/**
 * A rule's share of progress: `gte` and `gt` count in proportion to value/target, capped at the weight
 * (seed 001: 8 of 10 wins at weight 50 is 40); the other comparators are all or nothing.
 */
export function ruleProgress({ comparator, target, weight, value }: RuleValue): RuleProgress {
  const ok = holds(comparator, value, target);
  let contribution = ok ? weight : 0;
  if (!ok && (comparator === "gte" || comparator === "gt") && target > 0) {
    contribution = Math.min(Math.max(value / target, 0), 1) * weight;
  }
  let remaining: number | null = null;
  if (comparator === "gte") remaining = Math.max(target - value, 0);
  // "More than N" of a whole-number metric: one past the target.
  if (comparator === "gt") remaining = ok ? 0 : target - value + 1;
  return { holds: ok, contribution, remaining };
}

/**
 * An achievement's progress, 0-100: the weighted sum of its rules' progress. Completed when every
 * rule holds; until then it never shows 100.
 */
export function progressOf(rules: readonly RuleValue[]): Progress {
  const each = rules.map(ruleProgress);
  const completed = each.length > 0 && each.every((r) => r.holds);
  const totalWeight = rules.reduce((sum, r) => sum + r.weight, 0);
  const earned = each.reduce((sum, r) => sum + r.contribution, 0);
  // Rounded to a millionth first, so 0.29 × 100 is 29, not 28.999999999999996.
  const raw = totalWeight > 0 ? Math.round((earned / totalWeight) * 100 * 1e6) / 1e6 : 0;
  const progress = completed ? 100 : Math.min(99, Math.floor(raw));
  return { progress, completed, rules: each };
}
