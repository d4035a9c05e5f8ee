import {
  type AchievementEarned,
  ledgerEntriesOf,
  type OutboxAchievement,
  type OutboxType,
  type ProgressChanged,
  type RewardGranted,
} from "@laurel/engine";
import type { Plan } from "@laurel/engine";
import type { AchievementRow, Catalog } from "./model.js";

/**
 * The outbox events a plan tells (the engine's outbox.ts is the contract), built in one place and
 * written by the scoring write in the transaction of the change: `achievement.earned` and
 * `reward.granted` per award, and one `progress.changed` per person listing the achievements that
 * moved. Award events are completed in SQL with what only the write knows (the award row's id, the
 * stored event's id), and written only if the award was.
 */
export type Message = {
  type: OutboxType;
  /** The award it belongs to, if any: it is written only with that award. */
  achievement: string | null;
  period: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
};

/** Filled in by the write from the award row. */
type Completed = "userAchievementId" | "triggeringEventId";

const described = (a: AchievementRow): OutboxAchievement => ({
  id: a.id,
  key: a.key,
  name: a.name,
  category: a.category,
  points: a.points,
  hidden: a.isHidden,
});

export function messagesOf(
  userId: string,
  plan: Plan<AchievementRow>,
  catalog: Catalog,
  options: { earnedAt: string; progress: boolean },
): Message[] {
  const messages: Message[] = [];
  for (const award of plan.awards) {
    const at = { achievement: award.achievement.id, period: award.periodKey, occurredAt: options.earnedAt };
    const earned: Omit<AchievementEarned, Completed> = {
      userId,
      achievement: described(award.achievement),
      periodKey: award.periodKey,
      earnedAt: options.earnedAt,
      grantedById: award.grantedById,
    };
    messages.push({ ...at, type: "achievement.earned", payload: earned });
    for (const entry of ledgerEntriesOf(award.achievement, award.grants)) {
      const reward: Omit<RewardGranted, Completed | "triggeringEventId"> = {
        userId,
        achievementId: award.achievement.id,
        consumableId: entry.consumableId,
        type: entry.type,
        quantity: entry.quantity,
        unitValue: entry.unitValue,
        description: entry.description,
      };
      messages.push({ ...at, type: "reward.granted", payload: reward });
    }
  }
  if (options.progress && plan.rows.length > 0) {
    const changes: ProgressChanged["changes"] = plan.rows.map((r) => ({
      achievementId: r.achievementId,
      periodKey: r.periodKey,
      progress: r.progress,
      completed: r.completed,
      hidden: catalog.byId.get(r.achievementId)?.achievement.isHidden ?? false,
    }));
    messages.push({
      type: "progress.changed",
      achievement: null,
      period: null,
      payload: { userId, changes } satisfies ProgressChanged,
      occurredAt: options.earnedAt,
    });
  }
  return messages;
}
