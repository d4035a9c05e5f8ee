/**
 * What Laurel tells the world: the outbox's event types and their payloads, one contract for the
 * webhooks, the live subscriptions, NATS and the README's event catalogue. Every payload names the
 * person it is about (`userId`) where there is one; ids are strings, instants ISO 8601 strings.
 */

export const OUTBOX_TYPES = [
  "achievement.earned",
  "progress.changed",
  "reward.granted",
  "summary.ready",
  "advantage.calculated",
] as const;
export type OutboxType = (typeof OUTBOX_TYPES)[number];

/** Sent to one endpoint only, from the admin panel's "send a test event"; never in the outbox's fan-out. */
export const TEST_EVENT_TYPE = "webhook.test";

export const isOutboxType = (type: string): type is OutboxType =>
  (OUTBOX_TYPES as readonly string[]).includes(type);

/** An achievement as an outbox event describes it. `hidden`: participants other than its holder never see it. */
export type OutboxAchievement = {
  id: string;
  key: string;
  name: string;
  category: string;
  points: number;
  hidden: boolean;
};

/** `achievement.earned`: a person earned an achievement (by events, a grant, a backfill or Wrapped). */
export type AchievementEarned = {
  userId: string;
  achievement: OutboxAchievement;
  /** `all` for a one-off achievement, else the period it was earned for (`2026`, `2026-05`, ...). */
  periodKey: string;
  earnedAt: string;
  userAchievementId: string;
  /** The event that completed it, if an event did. */
  triggeringEventId: string | null;
  /** The admin who granted it by hand, if one did. */
  grantedById: string | null;
};

/**
 * `progress.changed`: one per person and transaction, listing each achievement whose progress moved
 * (each once, with where it ended).
 */
export type ProgressChanged = {
  userId: string;
  changes: {
    achievementId: string;
    periodKey: string;
    /** Per cent, 0-100. */
    progress: number;
    completed: boolean;
    hidden: boolean;
  }[];
};

/** `reward.granted`: an award put a reward (points, coins, items) in a person's ledger. */
export type RewardGranted = {
  userId: string;
  achievementId: string;
  userAchievementId: string;
  consumableId: string;
  /** `points`, `currency` or `item`, as the consumable says. */
  type: string;
  quantity: number;
  unitValue: number;
  description: string;
};

/** `summary.ready`: a person's Wrapped for a year can be read. */
export type SummaryReady = { userId: string; summaryId: string; year: number };

/** `advantage.calculated`: the calculator saved (or refreshed) its estimate of what a person's volunteering is worth. */
export type AdvantageCalculated = {
  userId: string;
  calculationId: string;
  periodStart: string;
  periodEnd: string;
  totalActivities: number;
  totalHours: number;
  /** In `currency`; null when the organization has no hourly rate for the period. */
  estimatedMonetaryValue: number | null;
  currency: string;
};

export type OutboxPayloads = {
  "achievement.earned": AchievementEarned;
  "progress.changed": ProgressChanged;
  "reward.granted": RewardGranted;
  "summary.ready": SummaryReady;
  "advantage.calculated": AdvantageCalculated;
};

/** An event as consumers receive it (a webhook's body, a subscription's message, a NATS message). */
export type OutboxMessage<T extends OutboxType = OutboxType> = {
  id: string;
  type: T;
  organizationId: string;
  occurredAt: string;
  data: OutboxPayloads[T];
};
