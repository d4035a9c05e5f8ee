import type { MetricWindow } from "./calendar.js";
import type { MetricAggregation } from "./metrics.js";

/** Event types Laurel itself produces, beside the ones a tenant's backend reports. */
export const SYSTEM_EVENTS = {
  activityLogged: "activity_logged",
  eventAttended: "event_attended",
  achievementEarned: "achievement_earned",
} as const;

export type MetricSpec = {
  key: string;
  name: string;
  description: string;
  eventTypes: string[];
  aggregation: MetricAggregation;
  distinctAttribute?: string;
  filter?: Record<string, string | number | boolean>;
  window?: MetricWindow;
  streakUnit?: "events" | "days";
  resetEventTypes?: string[];
};

/**
 * The metrics that ship with Laurel: seed 001's thirteen for game and trading platforms, and the
 * peer-mentor ones. They are platform-wide rows; an admin adds more in the admin panel without code.
 */
export const METRIC_CATALOG: readonly MetricSpec[] = [
  {
    key: "matches",
    name: "Matches played",
    description: "Total matches played",
    eventTypes: ["match_won", "match_lost", "match_drawn"],
    aggregation: "count",
  },
  {
    key: "wins",
    name: "Matches won",
    description: "Total matches won",
    eventTypes: ["match_won"],
    aggregation: "count",
  },
  {
    key: "losses",
    name: "Matches lost",
    description: "Total matches lost",
    eventTypes: ["match_lost"],
    aggregation: "count",
  },
  {
    key: "positions",
    name: "Positions opened",
    description: "Total positions opened",
    eventTypes: ["position_opened"],
    aggregation: "count",
  },
  {
    key: "wins_in_row",
    name: "Win streak",
    description: "Current win streak: wins since the last loss",
    eventTypes: ["match_won"],
    aggregation: "current_streak",
    streakUnit: "events",
    resetEventTypes: ["match_lost"],
  },
  {
    key: "total_volume",
    name: "Trading volume",
    description: "Cumulative trading volume of opened positions",
    eventTypes: ["position_opened"],
    aggregation: "sum",
  },
  {
    key: "total_profit",
    name: "Realized profit",
    description: "Cumulative realized PnL of closed positions",
    eventTypes: ["position_closed"],
    aggregation: "sum",
  },
  {
    key: "invite",
    name: "Friends invited",
    description: "Accepted friends count",
    eventTypes: ["invite_accepted"],
    aggregation: "count",
  },
  {
    key: "level",
    name: "Level",
    description: "User level",
    eventTypes: ["level_changed"],
    aggregation: "latest",
  },
  {
    key: "deposits",
    name: "Deposits",
    description: "Number of deposits",
    eventTypes: ["deposit"],
    aggregation: "count",
  },
  {
    key: "withdrawals",
    name: "Withdrawals",
    description: "Number of withdrawals",
    eventTypes: ["withdrawal"],
    aggregation: "count",
  },
  {
    key: "profile_completed",
    name: "Profile completed",
    description: "Whether the profile has a nickname and an avatar (use the bool comparator)",
    eventTypes: ["profile_completed"],
    aggregation: "boolean",
  },
  {
    key: "trades_closed",
    name: "Trades closed",
    description: "Number of closed positions",
    eventTypes: ["position_closed"],
    aggregation: "count",
  },
  {
    key: "activities",
    name: "Activities",
    description: "Activities logged",
    eventTypes: [SYSTEM_EVENTS.activityLogged],
    aggregation: "count",
  },
  {
    key: "activity_hours",
    name: "Activity hours",
    description: "Hours of logged activities",
    eventTypes: [SYSTEM_EVENTS.activityLogged],
    aggregation: "sum",
  },
  {
    key: "contacts_reached",
    name: "Contacts reached",
    description: "Distinct contacts helped",
    eventTypes: [SYSTEM_EVENTS.activityLogged],
    aggregation: "distinct",
    distinctAttribute: "contact",
  },
  {
    key: "events_attended",
    name: "Events attended",
    description: "Events taken part in",
    eventTypes: [SYSTEM_EVENTS.eventAttended],
    aggregation: "count",
  },
  {
    key: "streak_days",
    name: "Streak days",
    description: "Longest run of consecutive days with an activity",
    eventTypes: [SYSTEM_EVENTS.activityLogged],
    aggregation: "longest_streak",
    streakUnit: "days",
  },
  {
    key: "badges_earned",
    name: "Badges earned",
    description: "Achievements earned",
    eventTypes: [SYSTEM_EVENTS.achievementEarned],
    aggregation: "count",
  },
  {
    key: "points",
    name: "Points",
    description: "Points from achievements earned",
    eventTypes: [SYSTEM_EVENTS.achievementEarned],
    aggregation: "sum",
  },
];

/** The metric a count-based trigger type stands for (a threshold on it is one rule of weight 100). */
export const TRIGGER_METRICS = {
  activity_count: "activities",
  hours_total: "activity_hours",
  contacts_reached: "contacts_reached",
  events_attended: "events_attended",
  streak_days: "streak_days",
  points_total: "points",
  badges_earned: "badges_earned",
} as const;

export type CountTriggerType = keyof typeof TRIGGER_METRICS;

/** Modules an organization can turn on. */
export const MODULES = {
  gamification: "achievements-gamification",
  certification: "certification-training",
} as const;
