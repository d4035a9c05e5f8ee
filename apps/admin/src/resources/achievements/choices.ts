const choices = (ids: string[]) => ids.map((id) => ({ id, name: id.replace(/_/g, " ") }));

export const CATEGORY_CHOICES = choices([
  "activity",
  "annual",
  "competition",
  "events",
  "milestone",
  "social",
  "special",
  "streak",
  "trading",
]);

export const TRIGGER_TYPE_CHOICES = choices([
  "rules",
  "activity_count",
  "annual_summary",
  "badges_earned",
  "contacts_reached",
  "events_attended",
  "hours_total",
  "manual",
  "points_total",
  "streak_days",
]);

export const REPEAT_PERIOD_CHOICES = choices(["weekly", "monthly", "yearly"]);

export type Achievement = {
  id: string;
  key: string;
  name: string;
  iconUrl?: string | null;
  organizationId?: string | null;
  isPlatform: boolean;
  triggerType: string;
  ruleIds: string[];
  rewards?: { consumableId: string; quantity?: number | null }[];
  warnings?: { field: string; rule: string; message: string }[];
  expiresAt?: string | null;
};
