import type { AchievementCategory, Badge, BadgeRule } from "@laurel/client";
import type { TFunction } from "i18next";
import i18n from "../i18n";

export type CategoryGroup = { category: AchievementCategory; badges: Badge[] };

/** The catalog by category, in the order the API gives (category, then sort order). */
export function byCategory(badges: readonly Badge[]): CategoryGroup[] {
  const groups: CategoryGroup[] = [];
  for (const badge of badges) {
    const group = groups.find((g) => g.category === badge.category);
    if (group) group.badges.push(badge);
    else groups.push({ category: badge.category, badges: [badge] });
  }
  for (const group of groups) group.badges.sort((a, b) => a.sortOrder - b.sortOrder);
  return groups;
}

/** The latest earned badges, newest first. */
export function latestEarned(badges: readonly Badge[], count: number): Badge[] {
  return badges
    .filter((b) => b.earnedAt)
    .sort((a, b) => b.earnedAt!.localeCompare(a.earnedAt!))
    .slice(0, count);
}

const MONEY_LIKE = new Set(["total_profit", "total_volume"]);

/** What is left of one rule, in words: "2 more activities", "1 more win"; null once it holds. */
export function ruleRemaining(rule: BadgeRule, t: TFunction): string | null {
  if (rule.holds) return null;
  if (rule.remaining === null || rule.remaining <= 0) return t("remaining.condition", { name: rule.name });
  // Counts are whole: 1.2 more activities means 2. Amounts keep their cents.
  const count = MONEY_LIKE.has(rule.metricKey)
    ? Math.ceil(rule.remaining * 100) / 100
    : Math.ceil(rule.remaining - 1e-9);
  const key = `remaining.${rule.metricKey}`;
  if (i18n.exists(key) || i18n.exists(`${key}_other`)) return t(key, { count });
  return t("remaining.other", { count, metric: rule.metricKey });
}

/** What is left of a badge: its unmet rules, in words. */
export function badgeRemaining(badge: Badge, t: TFunction): string[] {
  if (badge.state === "EARNED") return [];
  return badge.rules.map((r) => ruleRemaining(r, t)).filter((s): s is string => s !== null);
}
