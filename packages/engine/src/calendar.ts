/**
 * Calendar boundaries in an organization's time zone: every day, week, month and year in Laurel is
 * local to the organization, never UTC.
 */
export type LocalDate = { year: number; month: number; day: number };
export type MetricWindow = "all_time" | "calendar_year" | "calendar_month" | "calendar_week";
export type RepeatPeriod = "weekly" | "monthly" | "yearly";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: Date, timeZone: string) {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at))
    if (p.type !== "literal") out[p.type] = Number(p.value);
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

export function localDate(at: Date, timeZone: string): LocalDate {
  const { year, month, day } = parts(at, timeZone);
  return { year, month, day };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD` of the local day an instant falls on. */
export function localDayKey(at: Date, timeZone: string): string {
  const d = localDate(at, timeZone);
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** Whole days from one local day key to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek({ year, month, day }: LocalDate): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const firstDay = Date.UTC(date.getUTCFullYear(), 0, 1);
  return { year: date.getUTCFullYear(), week: Math.ceil(((date.getTime() - firstDay) / 86_400_000 + 1) / 7) };
}

/** The key of the window an instant falls in: `all`, `2026`, `2026-03`, `2026-W09`. */
export function windowKey(window: MetricWindow, at: Date, timeZone: string): string {
  if (window === "all_time") return "all";
  const d = localDate(at, timeZone);
  if (window === "calendar_year") return String(d.year);
  if (window === "calendar_month") return `${d.year}-${pad(d.month)}`;
  const w = isoWeek(d);
  return `${w.year}-W${pad(w.week)}`;
}

export const REPEAT_WINDOWS: Record<RepeatPeriod, MetricWindow> = {
  weekly: "calendar_week",
  monthly: "calendar_month",
  yearly: "calendar_year",
};

/** The award period of an achievement at an instant: `all` unless it repeats. */
export function periodKey(repeatPeriod: RepeatPeriod | null | undefined, at: Date, timeZone: string): string {
  return repeatPeriod ? windowKey(REPEAT_WINDOWS[repeatPeriod], at, timeZone) : "all";
}

/** The instant local midnight begins on a local date (DST-safe). */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  const dayAt = (t: number) => {
    const p = parts(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day);
  };
  // The first whole second whose local date is the day: where clocks jump over midnight (Beirut,
  // Cairo) the day begins at the jump, and where midnight repeats, at its first occurrence. Offsets
  // stay within 16 hours, so the search starts on the day before and ends on the day or after.
  let before = wall - 16 * 3_600_000;
  let from = wall + 16 * 3_600_000;
  while (from - before > 1000) {
    const mid = before + Math.floor((from - before) / 2000) * 1000;
    if (dayAt(mid) >= wall) from = mid;
    else before = mid;
  }
  return new Date(from);
}

/** A calendar year in a zone, as the half-open range [start, end). */
export function yearRange(year: number, timeZone: string): { start: Date; end: Date } {
  return { start: zonedMidnight(year, 1, 1, timeZone), end: zonedMidnight(year + 1, 1, 1, timeZone) };
}

/** The instants a window key covers, [start, end); null for `all`. The inverse of `windowKey`. */
export function windowRange(key: string, timeZone: string): { start: Date; end: Date } | null {
  if (key === "all") return null;
  let match = /^(\d{4})$/.exec(key);
  if (match) return yearRange(Number(match[1]), timeZone);
  match = /^(\d{4})-(\d{2})$/.exec(key);
  if (match) {
    const [year, month] = [Number(match[1]), Number(match[2])];
    const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
    return {
      start: zonedMidnight(year, month, 1, timeZone),
      end: zonedMidnight(next.year, next.month, 1, timeZone),
    };
  }
  match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (match) {
    // The Monday of ISO week 1 is the Monday on or before 4 January.
    const jan4 = new Date(Date.UTC(Number(match[1]), 0, 4));
    const monday = new Date(
      jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86_400_000 + (Number(match[2]) - 1) * 7 * 86_400_000,
    );
    const sunday = new Date(monday.getTime() + 7 * 86_400_000);
    return {
      start: zonedMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone),
      end: zonedMidnight(sunday.getUTCFullYear(), sunday.getUTCMonth() + 1, sunday.getUTCDate(), timeZone),
    };
  }
  throw new RangeError(`Not a window key: ${key}`);
}
