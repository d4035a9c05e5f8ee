import type { TestApi } from "./server.js";
import { makeTenant, makeUser, unique } from "./factories.js";

/** A game tenant ready for seed 001: its admin, a player, an API key for its backend, the metrics by key. */
export async function gameTenant(api: TestApi, values: Parameters<typeof makeTenant>[1] = {}) {
  const tenant = await makeTenant(api, values);
  const player = await makeUser(api.database.db, {
    organizationId: tenant.organization.id,
    role: "player",
    password: false,
  });
  const key = await api.ok(
    `mutation { createApiKey(name: "game server") { secret } }`,
    {},
    tenant.admin.token,
  );
  const metrics = await api.ok(`{ allMetrics(perPage: 500) { id key } }`, {}, tenant.admin.token);
  const metricId = (k: string) => metrics.allMetrics.find((m: { key: string }) => m.key === k)!.id as string;
  const backend = { apiKey: key.createApiKey.secret as string };
  return {
    ...tenant,
    player,
    backend,
    metricId,
    async rule(name: string, metric: string, comparator: string, target: number, weight: number) {
      const made = await api.ok(
        `mutation($name: String!, $metricId: ID!, $comparator: Comparator!, $target: Float!, $weight: Int!) {
          createAchievementRule(name: $name, metricId: $metricId, comparator: $comparator, target: $target, weight: $weight) { id } }`,
        { name, metricId: metricId(metric), comparator, target, weight },
        tenant.admin.token,
      );
      return made.createAchievementRule.id as string;
    },
    async achievement(fields: Record<string, unknown>) {
      const made = await api.gql(
        `mutation($key: String!, $name: String!, $description: String!, $category: AchievementCategory!, $triggerType: TriggerType!,
          $triggerThreshold: Int, $triggerMetadata: JSONObject, $ruleIds: [ID!], $rewards: [AchievementRewardInput!], $points: Int,
          $isHidden: Boolean, $isActive: Boolean, $isRepeatable: Boolean, $repeatPeriod: RepeatPeriod, $expiresAt: DateTimeISO,
          $requiresModule: String, $iconUrl: String, $sortOrder: Int) {
          createAchievement(key: $key, name: $name, description: $description, category: $category, triggerType: $triggerType,
            triggerThreshold: $triggerThreshold, triggerMetadata: $triggerMetadata, ruleIds: $ruleIds, rewards: $rewards, points: $points,
            isHidden: $isHidden, isActive: $isActive, isRepeatable: $isRepeatable, repeatPeriod: $repeatPeriod, expiresAt: $expiresAt,
            requiresModule: $requiresModule, iconUrl: $iconUrl, sortOrder: $sortOrder) { id key warnings { field rule severity } } }`,
        {
          key: unique("a_"),
          description: "A test achievement",
          category: "competition",
          triggerType: "rules",
          ...fields,
        },
        tenant.admin.token,
      );
      return made;
    },
    event(
      type: string,
      options: { value?: number; key?: string; attributes?: Record<string, unknown>; userId?: string } = {},
    ) {
      return api.gql(
        `mutation($userId: ID!, $type: String!, $value: Float, $key: String, $attributes: JSONObject) {
          recordEvent(userId: $userId, type: $type, value: $value, idempotencyKey: $key, attributes: $attributes) {
            replayed event { id type }
            awards { achievementId completed pointsAwarded rewards { name quantity } achievement { key } }
            progress { achievementId progress completed } } }`,
        {
          userId: options.userId ?? player.id,
          type,
          value: options.value,
          key: options.key,
          attributes: options.attributes,
        },
        backend,
      );
    },
  };
}

export const BADGES = `{ myBadges { achievementId key name state progress earnedAt timesEarned rarity
  rules { name metricKey comparator target value holds remaining } } }`;

export async function signInPlayer(api: TestApi, email: string) {
  const result = await api.ok(
    `mutation($email: String!) { loginWithCode(email: $email, code: "12345") { token } }`,
    { email },
  );
  return result.loginWithCode.token as string;
}
