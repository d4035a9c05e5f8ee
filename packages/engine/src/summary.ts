/**
 * Wrapped (seed 002): turning one peer mentor's yearly facts, aggregated in SQL, into the summary row,
 * its monthly chart and up to five highlight moments that tell the year as a story.
 */
export type HighlightMoment = {
  type: string;
  date: string;
  description: string;
  value?: number;
  /** badge_earned: the badge named, so a reader who may no longer see it is not shown the moment. */
  achievementId?: string;
};

/** What the set-based SQL returns for one user and year. */
export type YearFacts = {
  totalActivities: number;
  totalMinutes: number;
  totalContacts: number;
  totalEventsAttended: number;
  badgesEarned: number;
  topActivityType: string | null;
  /** Activities per month, January first; fewer than 12 entries are padded with zeros. */
  monthlyCounts: readonly number[];
  longestStreak: { days: number; endsOn: string } | null;
  busiestDay: { date: string; count: number } | null;
  firstActivity: { date: string; activityType: string } | null;
  /** The largest round count reached in the year (10, 25, 50 ...), and the day it was reached. */
  milestone: { count: number; date: string } | null;
  firstBadge: { name: string; date: string; achievementId?: string } | null;
};

export type SummaryFigures = {
  totalActivities: number;
  totalHours: number;
  totalContactsReached: number;
  totalEventsAttended: number;
  badgesEarnedCount: number;
  topActivityType: string | null;
  mostActiveMonth: number | null;
  streakDays: number;
  monthlyActivityCounts: number[];
  highlightMoments: HighlightMoment[];
};

export const MILESTONES = [10, 25, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1000] as const;
export const MAX_HIGHLIGHTS = 5;

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function spoken(date: string): string {
  const [, month, day] = date.split("-").map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]}`;
}

const humanize = (slug: string) => slug.replaceAll("_", " ");

/** Monthly counts as exactly 12 numbers (seed 002's monthly_counts_array_length). */
export function twelveMonths(counts: readonly number[]): number[] {
  return Array.from({ length: 12 }, (_, i) => counts[i] ?? 0);
}

/** The month (1-12) with the most activities; the earliest on a tie; null for an empty year. */
export function mostActiveMonth(counts: readonly number[]): number | null {
  const months = twelveMonths(counts);
  const best = Math.max(...months);
  return best > 0 ? months.indexOf(best) + 1 : null;
}

/**
 * Up to five highlights, in the order of the year: the first activity, the first badge, a round-number
 * milestone, the busiest day and the longest streak. A year-to-date preview leads with a moment saying
 * so, so the story never claims to be a full year.
 */
export function highlightsOf(
  facts: YearFacts,
  options: { year: number; preview: boolean; asOf: string },
): HighlightMoment[] {
  const story: HighlightMoment[] = [];
  if (facts.firstActivity) {
    story.push({
      type: "first_activity",
      date: facts.firstActivity.date,
      description: `Your first activity of ${options.year}: a ${humanize(facts.firstActivity.activityType)} on ${spoken(facts.firstActivity.date)}`,
    });
  }
  if (facts.firstBadge) {
    story.push({
      type: "badge_earned",
      date: facts.firstBadge.date,
      description: `You earned the badge “${facts.firstBadge.name}”`,
      ...(facts.firstBadge.achievementId ? { achievementId: facts.firstBadge.achievementId } : {}),
    });
  }
  if (facts.milestone) {
    story.push({
      type: "milestone",
      date: facts.milestone.date,
      value: facts.milestone.count,
      description: `Your ${facts.milestone.count}th activity of the year`,
    });
  }
  if (facts.busiestDay && facts.busiestDay.count > 1) {
    story.push({
      type: "busiest_day",
      date: facts.busiestDay.date,
      value: facts.busiestDay.count,
      description: `Your busiest day: ${facts.busiestDay.count} activities on ${spoken(facts.busiestDay.date)}`,
    });
  }
  if (facts.longestStreak && facts.longestStreak.days > 1) {
    story.push({
      type: "longest_streak",
      date: facts.longestStreak.endsOn,
      value: facts.longestStreak.days,
      description: `Your longest streak: ${facts.longestStreak.days} days in a row`,
    });
  }
  const chronological = story.sort((a, b) => a.date.localeCompare(b.date));
  if (!options.preview) return chronological.slice(0, MAX_HIGHLIGHTS);
  const flag: HighlightMoment = {
    type: "year_to_date_preview",
    date: options.asOf,
    description: `Year to date, as of ${spoken(options.asOf)}: ${options.year} is not over yet`,
  };
  return [flag, ...chronological.slice(0, MAX_HIGHLIGHTS - 1)];
}

export function summaryOf(
  facts: YearFacts,
  options: { year: number; preview: boolean; asOf: string },
): SummaryFigures {
  return {
    totalActivities: facts.totalActivities,
    totalHours: Math.round((facts.totalMinutes / 60) * 100) / 100,
    totalContactsReached: facts.totalContacts,
    totalEventsAttended: facts.totalEventsAttended,
    badgesEarnedCount: facts.badgesEarned,
    topActivityType: facts.topActivityType,
    mostActiveMonth: mostActiveMonth(facts.monthlyCounts),
    streakDays: facts.longestStreak?.days ?? 0,
    monthlyActivityCounts: twelveMonths(facts.monthlyCounts),
    highlightMoments: highlightsOf(facts, options),
  };
}
