import type { Achievement } from "./choices";

/**
 * What the create and update mutations take: rewards as AchievementRewardInput ({consumableId, quantity},
 * no __typename), dates as ISO strings, empty optional fields as null.
 */
export function transformAchievement(data: Achievement & Record<string, unknown>) {
  const { rules: _rules, rulesIds: _rulesIds, warnings: _warnings, ...rest } = data;
  return {
    ...rest,
    rewards: (data.rewards ?? [])
      .filter((r) => !!r?.consumableId)
      .map((r) => ({ consumableId: r.consumableId, quantity: r.quantity ?? 1 })),
    ruleIds: data.ruleIds ?? [],
    expiresAt: data.expiresAt ? new Date(data.expiresAt).toISOString() : null,
    requiresModule: (data.requiresModule as string | undefined) || null,
    repeatPeriod: data.isRepeatable ? ((data.repeatPeriod as string | undefined) ?? null) : null,
    iconUrl: data.iconUrl || null,
  };
}
