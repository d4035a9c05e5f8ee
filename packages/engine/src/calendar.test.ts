import { describe, expect, it } from "vitest";
import {
  daysBetween,
  isoWeek,
  localDate,
  localDayKey,
  type MetricWindow,
  periodKey,
  REPEAT_WINDOWS,
  type RepeatPeriod,
  windowKey,
  windowRange,
  yearRange,
  zonedMidnight,
} from "./calendar.js";

const OSLO = "Europe/Oslo";
const at = (iso: string) => new Date(iso);

/** The local hour and minute an instant shows in a zone, e.g. `00:00`, independent of the code under test. */
function localClock(instant: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
  });
  return f.format(instant);
}

/** `YYYY-MM-DD` one day before a day key (UTC arithmetic on the calendar date only). */
function dayBefore(key: string): string {
  return new Date(Date.parse(`${key}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

describe("localDate and localDayKey", () => {
  it.each([
    // Oslo is UTC+1 in winter: half past eleven on New Year's Eve UTC is already the new year.
    ["2025-12-31T23:30:00Z", OSLO, "2026-01-01"],
    ["2025-12-31T22:59:59Z", OSLO, "2025-12-31"],
    ["2025-12-31T23:00:00Z", OSLO, "2026-01-01"],
    ["2025-12-31T23:30:00Z", "UTC", "2025-12-31"],
    ["2026-01-01T00:00:00Z", "UTC", "2026-01-01"],
    // Oslo in summer is UTC+2.
    ["2026-06-30T21:59:59Z", OSLO, "2026-06-30"],
    ["2026-06-30T22:00:00Z", OSLO, "2026-07-01"],
    // West of UTC the local day lags behind.
    ["2026-03-01T04:59:59Z", "America/New_York", "2026-02-28"],
    ["2026-03-01T05:00:00Z", "America/New_York", "2026-03-01"],
    ["2026-01-01T09:59:59Z", "Pacific/Honolulu", "2025-12-31"],
    // Far east of UTC it runs ahead; half-hour offsets count too.
    ["2025-12-31T09:59:59Z", "Pacific/Kiritimati", "2025-12-31"],
    ["2025-12-31T10:00:00Z", "Pacific/Kiritimati", "2026-01-01"],
    ["2026-03-31T18:29:59Z", "Asia/Kolkata", "2026-03-31"],
    ["2026-03-31T18:30:00Z", "Asia/Kolkata", "2026-04-01"],
    ["2026-06-30T12:00:00Z", "Pacific/Auckland", "2026-07-01"],
    // Leap day.
    ["2024-02-29T12:00:00Z", OSLO, "2024-02-29"],
  ])("%s in %s is local %s", (iso, zone, expected) => {
    expect(localDayKey(at(iso), zone)).toBe(expected);
    const [year, month, day] = expected.split("-").map(Number);
    expect(localDate(at(iso), zone)).toEqual({ year, month, day });
  });

  it("pads single-digit months and days", () => {
    expect(localDayKey(at("2026-02-03T12:00:00Z"), "UTC")).toBe("2026-02-03");
  });

  it("rejects an unknown time zone", () => {
    expect(() => localDayKey(at("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("daysBetween", () => {
  it.each([
    ["2026-01-01", "2026-01-01", 0],
    ["2026-01-01", "2026-01-02", 1],
    ["2026-01-02", "2026-01-01", -1],
    ["2025-12-31", "2026-01-01", 1],
    ["2026-01-31", "2026-02-01", 1],
    ["2024-02-28", "2024-03-01", 2],
    ["2025-02-28", "2025-03-01", 1],
    // Days of 23 and 25 hours in Oslo are still whole days.
    ["2025-03-29", "2025-03-31", 2],
    ["2025-10-25", "2025-10-27", 2],
    ["2025-01-01", "2026-01-01", 365],
    ["2024-01-01", "2025-01-01", 366],
    ["2026-03-10", "2026-02-10", -28],
  ])("%s → %s is %i", (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });
});

describe("isoWeek", () => {
  it.each([
    // [date, ISO year, week]
    ["2021-01-03", 2020, 53],
    ["2021-01-04", 2021, 1],
    ["2020-12-31", 2020, 53],
    ["2024-12-29", 2024, 52],
    ["2024-12-30", 2025, 1],
    ["2025-01-01", 2025, 1],
    ["2025-12-28", 2025, 52],
    ["2025-12-29", 2026, 1],
    ["2026-01-01", 2026, 1],
    ["2026-01-04", 2026, 1],
    ["2026-01-05", 2026, 2],
    ["2026-03-01", 2026, 9],
    ["2026-12-31", 2026, 53],
    ["2027-01-03", 2026, 53],
    ["2027-01-04", 2027, 1],
    ["2016-01-01", 2015, 53],
    ["2008-12-29", 2009, 1],
    ["2010-01-03", 2009, 53],
    ["2024-02-29", 2024, 9],
    ["2023-01-01", 2022, 52],
    ["2023-01-02", 2023, 1],
  ])("%s is %i-W%i", (date, year, week) => {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    expect(isoWeek({ year: y, month: m, day: d })).toEqual({ year, week });
  });

  it("starts every week on a Monday, numbers them without gaps, and puts each in its Thursday's year", () => {
    let previous: { year: number; week: number } | null = null;
    for (let t = Date.UTC(2014, 11, 29); t < Date.UTC(2036, 0, 1); t += 86_400_000) {
      const date = new Date(t);
      const w = isoWeek({
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
      });
      const weekday = date.getUTCDay() || 7;
      const thursday = new Date(t + (4 - weekday) * 86_400_000);
      expect(w.year).toBe(thursday.getUTCFullYear());
      if (previous) {
        if (weekday !== 1) expect(w).toEqual(previous);
        else if (w.year === previous.year) expect(w.week).toBe(previous.week + 1);
        else {
          expect(w.week).toBe(1);
          expect([52, 53]).toContain(previous.week);
        }
      }
      previous = w;
    }
  });
});

describe("windowKey", () => {
  const windows: MetricWindow[] = ["all_time", "calendar_year", "calendar_month", "calendar_week"];

  it.each([
    // [instant, zone, all_time, calendar_year, calendar_month, calendar_week]
    ["2025-12-31T23:30:00Z", OSLO, "all", "2026", "2026-01", "2026-W01"],
    ["2025-12-31T23:30:00Z", "UTC", "all", "2025", "2025-12", "2026-W01"],
    ["2026-01-01T03:00:00Z", "America/New_York", "all", "2025", "2025-12", "2026-W01"],
    ["2026-02-28T15:00:00Z", "Asia/Tokyo", "all", "2026", "2026-03", "2026-W09"],
    ["2026-02-28T14:59:59Z", "Asia/Tokyo", "all", "2026", "2026-02", "2026-W09"],
    ["2021-01-03T12:00:00Z", OSLO, "all", "2021", "2021-01", "2020-W53"],
    ["2021-01-03T23:00:00Z", OSLO, "all", "2021", "2021-01", "2021-W01"],
    ["2024-12-30T12:00:00Z", OSLO, "all", "2024", "2024-12", "2025-W01"],
    // Sunday night in Oslo is already Monday: a new ISO week.
    ["2026-03-08T23:30:00Z", OSLO, "all", "2026", "2026-03", "2026-W11"],
    ["2026-03-08T23:30:00Z", "UTC", "all", "2026", "2026-03", "2026-W10"],
  ])("%s in %s", (iso, zone, ...expected) => {
    expect(windows.map((w) => windowKey(w, at(iso), zone))).toEqual(expected);
  });
});

describe("periodKey", () => {
  const instant = at("2025-12-31T23:30:00Z");

  it.each([
    [null, OSLO, "all"],
    [undefined, OSLO, "all"],
    ["yearly", OSLO, "2026"],
    ["monthly", OSLO, "2026-01"],
    ["weekly", OSLO, "2026-W01"],
    ["yearly", "UTC", "2025"],
    ["monthly", "UTC", "2025-12"],
    ["weekly", "UTC", "2026-W01"],
  ] as const)("%s in %s → %s", (period, zone, expected) => {
    expect(periodKey(period, instant, zone)).toBe(expected);
  });

  it.each(Object.entries(REPEAT_WINDOWS) as [RepeatPeriod, MetricWindow][])(
    "%s repeats per %s",
    (period, window) => {
      for (const iso of ["2024-12-30T12:00:00Z", "2025-06-15T08:00:00Z", "2025-12-31T23:30:00Z"]) {
        expect(periodKey(period, at(iso), OSLO)).toBe(windowKey(window, at(iso), OSLO));
      }
    },
  );

  it("maps the repeat periods to calendar windows", () => {
    expect(REPEAT_WINDOWS).toEqual({
      weekly: "calendar_week",
      monthly: "calendar_month",
      yearly: "calendar_year",
    });
  });
});

describe("zonedMidnight", () => {
  it.each([
    // Oslo: clocks go 02:00 → 03:00 on the last Sunday of March and 03:00 → 02:00 on the last Sunday
    // of October; midnight itself is never skipped, but the offset at it differs either side.
    [2025, 3, 29, OSLO, "2025-03-28T23:00:00Z"],
    [2025, 3, 30, OSLO, "2025-03-29T23:00:00Z"],
    [2025, 3, 31, OSLO, "2025-03-30T22:00:00Z"],
    [2025, 10, 25, OSLO, "2025-10-24T22:00:00Z"],
    [2025, 10, 26, OSLO, "2025-10-25T22:00:00Z"],
    [2025, 10, 27, OSLO, "2025-10-26T23:00:00Z"],
    [2026, 3, 29, OSLO, "2026-03-28T23:00:00Z"],
    [2026, 3, 30, OSLO, "2026-03-29T22:00:00Z"],
    [2026, 10, 25, OSLO, "2026-10-24T22:00:00Z"],
    [2026, 10, 26, OSLO, "2026-10-25T23:00:00Z"],
    [2026, 1, 1, OSLO, "2025-12-31T23:00:00Z"],
    [2026, 1, 1, "UTC", "2026-01-01T00:00:00Z"],
    [2025, 3, 9, "America/New_York", "2025-03-09T05:00:00Z"],
    [2025, 3, 10, "America/New_York", "2025-03-10T04:00:00Z"],
    [2025, 11, 2, "America/New_York", "2025-11-02T04:00:00Z"],
    [2025, 11, 3, "America/New_York", "2025-11-03T05:00:00Z"],
    [2025, 10, 5, "Australia/Sydney", "2025-10-04T14:00:00Z"],
    [2025, 10, 6, "Australia/Sydney", "2025-10-05T13:00:00Z"],
    [2026, 1, 1, "Asia/Kolkata", "2025-12-31T18:30:00Z"],
    [2026, 1, 1, "Pacific/Kiritimati", "2025-12-31T10:00:00Z"],
    [2026, 1, 1, "Pacific/Auckland", "2025-12-31T11:00:00Z"],
  ])("%i-%i-%i in %s starts at %s", (year, month, day, zone, expected) => {
    const midnight = zonedMidnight(year, month, day, zone);
    expect(midnight.toISOString()).toBe(new Date(expected).toISOString());
    const key = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    expect(localDayKey(midnight, zone)).toBe(key);
    expect(localClock(midnight, zone)).toBe("00:00");
    expect(localDayKey(new Date(midnight.getTime() - 1), zone)).toBe(dayBefore(key));
  });

  it("makes the Oslo spring-forward day 23 hours long and the fall-back day 25", () => {
    const hours = (y: number, m: number, d: number) =>
      (zonedMidnight(y, m, d + 1, OSLO).getTime() - zonedMidnight(y, m, d, OSLO).getTime()) / 3_600_000;
    expect(hours(2025, 3, 30)).toBe(23);
    expect(hours(2025, 10, 26)).toBe(25);
    expect(hours(2025, 6, 15)).toBe(24);
  });

  it.each([
    // Where clocks jump from 00:00 straight to 01:00, the day begins at the jump, at 01:00 local.
    [2025, 3, 30, "Asia/Beirut", "2025-03-29T22:00:00Z"],
    [2025, 4, 25, "Africa/Cairo", "2025-04-24T22:00:00Z"],
    [2025, 9, 7, "America/Santiago", "2025-09-07T04:00:00Z"],
    [2025, 3, 9, "America/Havana", "2025-03-09T05:00:00Z"],
  ])(
    "%i-%i-%i in %s, whose midnight is skipped, starts at the jump (%s)",
    (year, month, day, zone, expected) => {
      const start = zonedMidnight(year, month, day, zone);
      expect(start.toISOString()).toBe(new Date(expected).toISOString());
      const key = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      expect(localDayKey(start, zone)).toBe(key);
      expect(localClock(start, zone)).toBe("01:00");
      expect(localDayKey(new Date(start.getTime() - 1), zone)).toBe(dayBefore(key));
    },
  );

  it("takes the first of two midnights when clocks fall back from 01:00 to 00:00 (Havana)", () => {
    const start = zonedMidnight(2025, 11, 2, "America/Havana");
    expect(start.toISOString()).toBe("2025-11-02T04:00:00.000Z");
    expect(localDayKey(new Date(start.getTime() - 1), "America/Havana")).toBe("2025-11-01");
  });

  it.each([
    OSLO,
    "America/New_York",
    "Australia/Sydney",
    "Asia/Beirut",
    "America/Santiago",
    "Asia/Kolkata",
    "UTC",
  ])("gives the first instant of every day of 2025 in %s", (zone) => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 86_400_000) {
      const key = new Date(t).toISOString().slice(0, 10);
      const [y, m, d] = key.split("-").map(Number) as [number, number, number];
      const start = zonedMidnight(y, m, d, zone);
      expect(localDayKey(start, zone)).toBe(key);
      expect(localDayKey(new Date(start.getTime() - 1), zone)).toBe(dayBefore(key));
    }
  });
});

describe("yearRange", () => {
  it.each([
    [2025, OSLO, "2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"],
    [2026, OSLO, "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z"],
    [2026, "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
    [2026, "America/New_York", "2026-01-01T05:00:00Z", "2027-01-01T05:00:00Z"],
    [2026, "Pacific/Auckland", "2025-12-31T11:00:00Z", "2026-12-31T11:00:00Z"],
    [2024, "Asia/Kolkata", "2023-12-31T18:30:00Z", "2024-12-31T18:30:00Z"],
  ])("%i in %s is [%s, %s)", (year, zone, start, end) => {
    const range = yearRange(year, zone);
    expect(range.start.toISOString()).toBe(new Date(start).toISOString());
    expect(range.end.toISOString()).toBe(new Date(end).toISOString());
    // Half-open: the start and the last millisecond are in the year, the end is the next one.
    expect(windowKey("calendar_year", range.start, zone)).toBe(String(year));
    expect(windowKey("calendar_year", new Date(range.end.getTime() - 1), zone)).toBe(String(year));
    expect(windowKey("calendar_year", range.end, zone)).toBe(String(year + 1));
    expect(windowKey("calendar_year", new Date(range.start.getTime() - 1), zone)).toBe(String(year - 1));
  });

  it("tiles consecutive years without gap or overlap", () => {
    for (let year = 2020; year < 2030; year++) {
      expect(yearRange(year, OSLO).end.getTime()).toBe(yearRange(year + 1, OSLO).start.getTime());
    }
  });
});

describe("windowRange", () => {
  it.each([
    ["all", OSLO, null],
    ["2025", OSLO, ["2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"]],
    ["2026-03", OSLO, ["2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"]],
    ["2025-12", "UTC", ["2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"]],
    ["2026-W01", OSLO, ["2025-12-28T23:00:00Z", "2026-01-04T23:00:00Z"]],
    ["2020-W53", "UTC", ["2020-12-28T00:00:00Z", "2021-01-04T00:00:00Z"]],
    ["2025-W01", "America/New_York", ["2024-12-30T05:00:00Z", "2025-01-06T05:00:00Z"]],
    // The week of Oslo's spring-forward Sunday is an hour short.
    ["2025-W13", OSLO, ["2025-03-23T23:00:00Z", "2025-03-30T22:00:00Z"]],
  ] as const)("%s in %s", (key, zone, expected) => {
    const range = windowRange(key, zone);
    if (expected === null) expect(range).toBeNull();
    else {
      expect(range?.start.toISOString()).toBe(new Date(expected[0]).toISOString());
      expect(range?.end.toISOString()).toBe(new Date(expected[1]).toISOString());
    }
  });

  it.each(["2026-3", "2026-W1", "W09", "", "2026-13-01"])("rejects %j", (key) => {
    expect(() => windowRange(key, OSLO)).toThrow(RangeError);
  });

  it.each(["calendar_year", "calendar_month", "calendar_week"] as const)(
    "is the exact inverse of windowKey for %s windows",
    (window) => {
      for (const zone of [
        OSLO,
        "America/New_York",
        "Asia/Kolkata",
        "America/Santiago",
        "Pacific/Kiritimati",
      ]) {
        for (let t = Date.UTC(2024, 11, 1, 5, 17); t < Date.UTC(2026, 1, 1); t += 37 * 3_600_000) {
          const instant = new Date(t);
          const key = windowKey(window, instant, zone);
          const range = windowRange(key, zone)!;
          expect(range.start.getTime()).toBeLessThanOrEqual(t);
          expect(range.end.getTime()).toBeGreaterThan(t);
          expect(windowKey(window, range.start, zone)).toBe(key);
          expect(windowKey(window, new Date(range.start.getTime() - 1), zone)).not.toBe(key);
          expect(windowKey(window, new Date(range.end.getTime() - 1), zone)).toBe(key);
          expect(windowKey(window, range.end, zone)).not.toBe(key);
        }
      }
    },
  );
});
