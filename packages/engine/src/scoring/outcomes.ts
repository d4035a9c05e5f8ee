import { SYSTEM_EVENTS } from "../catalog.js";
import type { Grant, ScoredAchievement } from "./model.js";

/**
 * What an award writes beside its row, built in one place: the ledger entries of its rewards, the
 * participant's notification, and the `achievement_earned` event that feeds the badge and point metrics.
 */

/** The rewards granted into the ledger for an award. */
export function ledgerEntriesOf(achievement: Pick<ScoredAchievement, "name">, grants: readonly Grant[]) {
  return grants.map((g) => ({
    consumableId: g.consumableId,
    type: g.type,
    quantity: g.quantity,
    unitValue: g.unitValue,
    description: `${g.name} for ${achievement.name}`,
  }));
}

/** The notification of an award: the badge, its points and rewards. */
export function notificationOf(achievement: ScoredAchievement, periodKey: string, rewards: readonly Grant[]) {
  const extras = [
    achievement.points ? `+${achievement.points} points` : "",
    ...rewards.map((r) => `${r.quantity} × ${r.name}`),
  ].filter(Boolean);
  return {
    type: "achievement_earned",
    title: `Badge earned: ${achievement.name}`,
    body: extras.length ? `${achievement.description} (${extras.join(", ")})` : achievement.description,
    data: {
      achievementId: achievement.id,
      key: achievement.key,
      points: achievement.points,
      periodKey,
      rewards,
    },
  };
}

/** The `achievement_earned` event of an award, not stored yet (no id). */
export function earnedEventOf(achievement: ScoredAchievement, at: Date) {
  return {
    id: "",
    type: SYSTEM_EVENTS.achievementEarned,
    value: achievement.points,
    attributes: { achievement: achievement.key, category: achievement.category },
    occurredAt: at,
  };
}

/** When an award made now for something that happened at `at` counts as earned: then, never later than now. */
export const earnedAt = (at: Date, now: Date) => (at < now ? at : now);
