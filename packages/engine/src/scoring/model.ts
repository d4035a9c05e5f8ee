import type { MetricWindow, RepeatPeriod } from "../calendar.js";
import type { MetricDefinition, MetricState } from "../metrics.js";
import type { Comparator } from "../progress.js";

/**
 * The scoring kernel's own types: what judging an event reads, on no storage's row types. The API's
 * rows carry more than these; the kernel hands them back as it was given them (the achievement type is
 * a parameter), so an award names the achievement row the caller knows.
 */

/** An organization as scoring sees it: where its days begin and the modules it has on. */
export type ScoringTenant = { id: string; timeZone: string; modules: readonly string[] };

/** A metric definition with its id. */
export type ScoredMetric = MetricDefinition & { id: string };

/** What scoring reads of an achievement. */
export type ScoredAchievement = {
  id: string;
  key: string;
  name: string;
  description: string;
  category: string;
  points: number;
  repeatPeriod: RepeatPeriod | null;
  triggerType: string;
  triggerMetricId: string | null;
  expiresAt: Date | null;
};

/** One condition of an achievement on a metric: a linked rule, or a count trigger as a rule of weight 100. */
export type EffectiveRule = {
  ruleId: string | null;
  name: string;
  metricId: string;
  metricKey: string;
  window: MetricWindow;
  comparator: Comparator;
  target: number;
  weight: number;
};

/** An achievement with the rules it is judged by. */
export type Judged<A extends ScoredAchievement = ScoredAchievement> = {
  achievement: A;
  rules: EffectiveRule[];
};

/** A reward an award grants: a quantity of a consumable. */
export type Grant = { consumableId: string; name: string; type: string; quantity: number; unitValue: number };

/** An event as metrics count it. `id` is empty for one not stored yet (an award's `achievement_earned`). */
export type ScoringEvent = {
  id: string;
  type: string;
  value: number | null;
  attributes: Record<string, unknown>;
  occurredAt: Date;
};

/** A user's row for an achievement in one period, as judging needs it; keyed by `standingId`. */
export type Standing = { progress: number; completedAt: boolean };

/** Progress that moved, or an award (`completed`), as the API reports it. */
export type ProgressChange = {
  achievementId: string;
  periodKey: string;
  progress: number;
  completed: boolean;
};

/** A metric's value for one user in one window. */
export type Cell = { metricId: string; windowKey: string };
export type { MetricState };

/** Trigger types judged by hand or by Wrapped, never by events. */
export const JUDGED_ELSEWHERE = ["manual", "annual_summary"] as const;

/** Judged by events: everything but manual grants and the annual Wrapped badge. */
export const isEventJudged = (a: Pick<ScoredAchievement, "triggerType">) =>
  !(JUDGED_ELSEWHERE as readonly string[]).includes(a.triggerType);
