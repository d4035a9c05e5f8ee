import { rowsOf, schema } from "@laurel/db";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysBetween, localDate, localDayKey, MILESTONES, seededRandom } from "@laurel/engine";
import { maintainEmbedded, runJobOnce } from "../src/jobs/scheduler.js";
import { yearFacts } from "../src/scoring/year-facts.js";
import { actor, makeUser } from "./support/factories.js";
import { signInPlayer } from "./support/engine.js";
import { startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

let api: TestApi;
beforeAll(async () => {
  // 10 January 2026: 2025 is over in Oslo.
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, now: "2026-01-10T12:00:00Z" });
});
afterAll(() => api.close());

const job = () =>
  runJobOnce({ db: api.database.db, clock: api.clock, logger: api.server.services.logger, leaseMs: 60_000 });

const SUMMARY = `query($y: Int!) { myAnnualSummary(year: $y) {
  year totalActivities totalHours totalContactsReached totalEventsAttended badgesEarnedCount topActivityType mostActiveMonth
  streakDays monthlyActivityCounts generationStatus isPreview viewedAt highlightMoments { type date description value } } }`;

async function summaryRow(userId: string, year: number) {
  const [row] = await api.database.db
    .select()
    .from(schema.annualSummaries)
    .where(and(eq(schema.annualSummaries.userId, userId), eq(schema.annualSummaries.year, year)));
  return row;
}

/** A mentor's 2025, in Oslo: the first and last instants show the year is the organization's, not UTC's. */
async function yearOf2025() {
  const org = await volunteerTenant(api);
  await api.ok(
    `mutation { createAchievement(key: "annual_wrapped", name: "Your year, wrapped", description: "d", category: annual, triggerType: annual_summary, points: 50) { id } }`,
    {},
    org.admin.token,
  );
  const logged: Record<string, string> = {};
  const entries: [string, string, number, string | undefined][] = [
    ["2024-12-31T23:30:00Z", "home_visit", 60, "c1"], // 1 January 2025 in Oslo
    ["2025-03-03T09:00:00Z", "home_visit", 90, "c2"],
    ["2025-03-04T09:00:00Z", "phone_call", 30, "c1"],
    ["2025-03-05T09:00:00Z", "home_visit", 45, undefined],
    ["2025-03-05T15:00:00Z", "home_visit", 15, "c3"],
    ["2025-11-20T10:00:00Z", "phone_call", 60, "c2"],
    ["2025-12-31T23:30:00Z", "home_visit", 120, "c4"], // 1 January 2026 in Oslo: not 2025
  ];
  for (const [at, type, minutes, contact] of entries) {
    const result = await org.log({ at, type, minutes, contact });
    expect(result.errors).toBeUndefined();
    logged[at] = result.data.logActivity.activity.id;
  }
  await api.ok(
    `mutation { attendEvent(eventRef: "gathering-2025-06", eventName: "Gathering", attendedAt: "2025-06-12T16:00:00Z") { replayed } }`,
    {},
    org.token,
  );
  return { org, logged };
}

describe("Wrapped", () => {
  it("is made for a finished year by the job, in the organization's zone, with the annual badge once", async () => {
    const { org } = await yearOf2025();
    const report = await job();
    expect(report.ready).toBeGreaterThanOrEqual(1);
    const summary = (await api.ok(SUMMARY, { y: 2025 }, org.token)).myAnnualSummary;
    expect(summary).toMatchObject({
      year: 2025,
      totalActivities: 6,
      totalHours: 5,
      totalContactsReached: 3,
      totalEventsAttended: 1,
      topActivityType: "home_visit",
      mostActiveMonth: 3,
      streakDays: 3,
      monthlyActivityCounts: [1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0],
      generationStatus: "ready",
      isPreview: false,
    });
    expect(summary.highlightMoments.length).toBeLessThanOrEqual(5);
    expect(summary.highlightMoments.map((m: { type: string }) => m.type)).toEqual([
      "first_activity",
      "busiest_day",
      "longest_streak",
    ]);
    expect(summary.highlightMoments[0]).toMatchObject({ date: "2025-01-01" });

    const awards = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.userId, org.mentor.id));
    expect(awards.filter((a) => a.periodKey === "2025" && a.completedAt)).toHaveLength(1);
    await job();
    await api.ok(SUMMARY, { y: 2025 }, org.token);
    const again = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(eq(schema.userAchievements.userId, org.mentor.id));
    expect(again.filter((a) => a.periodKey === "2025" && a.completedAt)).toHaveLength(1);
  });

  it("goes pending when a past year's activity is corrected, and the next run makes it ready with the corrected totals", async () => {
    const { org, logged } = await yearOf2025();
    await job();
    expect((await summaryRow(org.mentor.id, 2025))!.generationStatus).toBe("ready");
    const corrected = await api.gql(
      `mutation($id: ID!) { updateActivity(id: $id, durationMinutes: 150) { activity { id } } }`,
      { id: logged["2025-03-03T09:00:00Z"] },
      org.token,
    );
    expect(corrected.errors).toBeUndefined();
    expect((await summaryRow(org.mentor.id, 2025))!.generationStatus).toBe("pending");
    const list = await api.ok(
      `query($u: ID!) { allAnnualSummaries(filter: { userId: $u, generationStatus: "pending", isPreview: false }) { year } }`,
      { u: org.mentor.id },
      org.admin.token,
    );
    expect(list.allAnnualSummaries).toEqual([{ year: 2025 }]);
    await job();
    const row = (await summaryRow(org.mentor.id, 2025))!;
    expect(row.generationStatus).toBe("ready");
    expect(row.totalHours).toBe(6);
    await api.ok(
      `mutation($id: ID!) { deleteActivity(id: $id) { id } }`,
      { id: logged["2025-11-20T10:00:00Z"] },
      org.token,
    );
    await job();
    expect(await summaryRow(org.mentor.id, 2025)).toMatchObject({
      generationStatus: "ready",
      totalActivities: 5,
      totalHours: 5,
    });
  });

  it("previews the current year, flagged, and never ready before the year ends", async () => {
    const { org } = await yearOf2025();
    api.clock.set("2026-06-15T12:00:00Z");
    try {
      const token = await signInPlayer(api, org.mentor.email);
      await api.ok(
        `mutation($t: ID!) { logActivity(activityTypeId: $t, durationMinutes: 30, occurredAt: "2026-02-01T10:00:00Z") { activity { id } } }`,
        { t: org.types.home_visit },
        token,
      );
      const preview = (await api.ok(SUMMARY, { y: 2026 }, token)).myAnnualSummary;
      expect(preview.isPreview).toBe(true);
      expect(preview.generationStatus).not.toBe("ready");
      expect(preview.totalActivities).toBe(2);
      expect(preview.highlightMoments[0]).toMatchObject({ type: "year_to_date_preview", date: "2026-06-15" });
      await job();
      expect((await summaryRow(org.mentor.id, 2026))!.generationStatus).not.toBe("ready");
    } finally {
      api.clock.set("2026-01-10T12:00:00Z");
    }
  });

  it("is made for peer mentors only, only while the module is on, for years from 2000 to now", async () => {
    const { org } = await yearOf2025();
    const coordinator = await org.as("coordinator");
    const refused = await api.gql(SUMMARY, { y: 2025 }, coordinator.token);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: "FORBIDDEN",
      permission: "only_peer_mentor_role_generates_summary",
    });
    await job();
    expect(await summaryRow(coordinator.user.id, 2025)).toBeUndefined();

    for (const year of [1999, 2027]) {
      const bad = await api.gql(SUMMARY, { y: year }, org.token);
      expect(bad.errors![0]!.extensions!.issues[0]).toMatchObject({
        field: "year",
        rule: "year_range_valid",
      });
    }

    // Modules are the platform's to change.
    await api.ok(
      `mutation($id: ID!) { updateOrganization(id: $id, modules: []) { id } }`,
      { id: org.organization.id },
      (await actor(api, null, "global_admin")).token,
    );
    const other = await makeUser(api.database.db, {
      organizationId: org.organization.id,
      role: "peer_mentor",
    });
    await job();
    expect(await summaryRow(other.id, 2025)).toBeUndefined();
    const off = await api.gql(SUMMARY, { y: 2025 }, await signInPlayer(api, other.email));
    expect(off.errors![0]!.extensions).toMatchObject({ code: "FORBIDDEN", permission: "module_toggle_gate" });
  });

  it("records when it was first viewed, and can be requeued by an admin", async () => {
    const { org } = await yearOf2025();
    await job();
    const viewed = await api.ok(
      `mutation { markAnnualSummaryViewed(year: 2025) { viewedAt } }`,
      {},
      org.token,
    );
    expect(viewed.markAnnualSummaryViewed.viewedAt).toBe(api.clock.now().toISOString());
    api.clock.advance(60_000);
    const again = await api.ok(
      `mutation { markAnnualSummaryViewed(year: 2025) { viewedAt } }`,
      {},
      org.token,
    );
    expect(again.markAnnualSummaryViewed.viewedAt).toBe(viewed.markAnnualSummaryViewed.viewedAt);
    const requeued = await api.ok(
      `mutation($u: ID!) { requeueAnnualSummary(userId: $u, year: 2025) { generationStatus } }`,
      { u: org.mentor.id },
      org.admin.token,
    );
    expect(requeued.requeueAnnualSummary.generationStatus).toBe("pending");
    await job();
    expect((await summaryRow(org.mentor.id, 2025))!.generationStatus).toBe("ready");
  });
});

describe("the advantage calculator", () => {
  it("values hours at the organization's rate, breaks it down by category, and follows corrections", async () => {
    const { org, logged } = await yearOf2025();
    await api.ok(
      `mutation { createAdvantageParameter(year: 2025, hourlyRate: 535, source: "Average hourly earnings 2024", benefitCategories: [
        { key: "travel_savings", label: "Travel savings", basis: "activities", rate: 45 },
        { key: "skill_development", label: "Skill development", basis: "hours", rate: 60 },
        { key: "network_growth", label: "Network growth", basis: "contacts", rate: 150 } ]) { id } }`,
      {},
      org.admin.token,
    );
    const QUERY = `{ myAdvantage(year: 2025) { year totalActivities totalHours contactsHelped estimatedMonetaryValue hourlyRate currency rateSource
      socialImpactScore calculationVersion advantageBreakdown { key quantity rate value } warnings { rule } } }`;
    const first = (await api.ok(QUERY, {}, org.token)).myAdvantage;
    // 6 activities, 5 hours (300 minutes), 3 contacts, no points yet: 5 × 535 = 2675.
    expect(first).toMatchObject({
      year: 2025,
      totalActivities: 6,
      totalHours: 5,
      contactsHelped: 3,
      estimatedMonetaryValue: 2675,
      hourlyRate: 535,
      currency: "NOK",
      rateSource: "Average hourly earnings 2024",
      calculationVersion: "2026.1",
      warnings: [],
    });
    expect(first.advantageBreakdown).toEqual([
      { key: "travel_savings", quantity: 6, rate: 45, value: 270 },
      { key: "skill_development", quantity: 5, rate: 60, value: 300 },
      { key: "network_growth", quantity: 3, rate: 150, value: 450 },
    ]);
    expect(first.socialImpactScore).toBe(6 * 1 + 5 * 2 + 3 * 5);

    await api.ok(
      `mutation($id: ID!) { updateActivity(id: $id, durationMinutes: 150) { activity { id } } }`,
      { id: logged["2025-03-03T09:00:00Z"] },
      org.token,
    );
    const after = (await api.ok(QUERY, {}, org.token)).myAdvantage;
    expect(after.totalHours).toBe(6);
    expect(after.estimatedMonetaryValue).toBe(3210);
    expect(after.advantageBreakdown[1]).toEqual({
      key: "skill_development",
      quantity: 6,
      rate: 60,
      value: 360,
    });
  });

  it("is for peer mentors only and refuses bad parameters by field and rule", async () => {
    const { org } = await yearOf2025();
    const coordinator = await org.as("coordinator");
    const refused = await api.gql(`{ myAdvantage(year: 2025) { id } }`, {}, coordinator.token);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: "FORBIDDEN",
      permission: "peer_mentor_only",
    });
    const bad = await api.gql(
      `mutation { createAdvantageParameter(year: 2025, hourlyRate: -1, source: " ", benefitCategories: [{ key: "x", label: "X", basis: "weeks", rate: 1 }]) { id } }`,
      {},
      org.admin.token,
    );
    expect(bad.errors![0]!.extensions!.issues.map((i: { rule: string }) => i.rule).sort()).toEqual([
      "one_of",
      "rate_non_negative",
      "source_not_empty",
    ]);
  });
});

describe("warnings of derived rows", () => {
  it("flag more than five highlights, and a breakdown not of the documented shape, without hiding the row", async () => {
    const { org } = await yearOf2025();
    await job();
    await api.database.db
      .update(schema.annualSummaries)
      .set({
        highlightMoments: Array.from({ length: 6 }, (_, i) => ({
          type: "milestone",
          date: `2025-0${i + 1}-01`,
          description: "x",
        })),
      })
      .where(eq(schema.annualSummaries.userId, org.mentor.id));
    const summaries = await api.ok(
      `query($u: ID!) { allAnnualSummaries(filter: { userId: $u, year: 2025 }) { id warnings { field rule severity } } }`,
      { u: org.mentor.id },
      org.admin.token,
    );
    expect(summaries.allAnnualSummaries[0].warnings).toEqual([
      { field: "highlightMoments", rule: "highlight_moments_max_five", severity: "warning" },
    ]);

    await api.ok(`{ myAdvantage(year: 2025) { id } }`, {}, org.token);
    await api.database.db
      .update(schema.advantageCalculations)
      .set({ advantageBreakdown: [{ key: "odd" } as never] })
      .where(eq(schema.advantageCalculations.userId, org.mentor.id));
    const calculations = await api.ok(
      `query($u: ID!) { allAdvantageCalculations(filter: { userId: $u }) { warnings { field rule severity } } }`,
      { u: org.mentor.id },
      org.admin.token,
    );
    expect(calculations.allAdvantageCalculations[0].warnings).toEqual([
      { field: "advantageBreakdown", rule: "advantage_breakdown_schema", severity: "warning" },
    ]);
  });
});

describe("the year's facts, in one statement", () => {
  it("find the milestone day, the longest streak, the busiest day and the months, several activities a day", async () => {
    const org = await volunteerTenant(api);
    // 12 activities in 2025 (Oslo): two on 2 to 4 March (a 3-day streak), three on 10 May, the rest alone.
    const at = [
      "2025-01-15T10:00:00Z",
      "2025-03-02T09:00:00Z",
      "2025-03-02T15:00:00Z",
      "2025-03-03T09:00:00Z",
      "2025-03-03T15:00:00Z",
      "2025-03-04T09:00:00Z",
      "2025-03-04T15:00:00Z",
      "2025-05-10T08:00:00Z",
      "2025-05-10T12:00:00Z",
      "2025-05-10T16:00:00Z", // the 10th: the milestone falls on 10 May
      "2025-08-01T10:00:00Z",
      "2025-12-31T22:30:00Z", // 23:30 on New Year's Eve in Oslo: still 2025
    ];
    for (const when of at) expect((await org.log({ at: when })).errors).toBeUndefined();
    const facts = await yearFacts(api.database.db, org.organization, 2025, [org.mentor.id]);
    expect(facts.get(org.mentor.id)).toMatchObject({
      totalActivities: 12,
      milestone: { count: 10, date: "2025-05-10" },
      longestStreak: { days: 3, endsOn: "2025-03-04" },
      busiestDay: { date: "2025-05-10", count: 3 },
      firstActivity: { date: "2025-01-15" },
      monthlyCounts: [1, 0, 6, 0, 3, 0, 0, 1, 0, 0, 0, 1],
    });
  });
  it("break ties by the earliest day, and count a day by the organization's clock", async () => {
    const org = await volunteerTenant(api);
    // Two 2-day streaks (10-11 February; 20-21 June, the 21st only in Oslo: 22:30 UTC is 00:30 there)
    // and two days with two activities each (10 February, 20 June): the earlier wins both.
    const at = [
      "2025-02-10T08:00:00Z",
      "2025-02-10T12:00:00Z",
      "2025-02-11T10:00:00Z",
      "2025-06-20T10:00:00Z",
      "2025-06-20T21:30:00Z",
      "2025-06-20T22:30:00Z",
    ];
    for (const when of at) expect((await org.log({ at: when })).errors).toBeUndefined();
    const facts = await yearFacts(api.database.db, org.organization, 2025, [org.mentor.id]);
    expect(facts.get(org.mentor.id)).toMatchObject({
      totalActivities: 6,
      milestone: null,
      longestStreak: { days: 2, endsOn: "2025-02-11" },
      busiestDay: { date: "2025-02-10", count: 2 },
      firstActivity: { date: "2025-02-10" },
      monthlyCounts: [0, 3, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0],
    });
  });
  it("agree with a plain reading of the activities, for a batch of users with random years", async () => {
    const org = await volunteerTenant(api);
    const db = api.database.db;
    const random = seededRandom(2025);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const mentors = [org.mentor.id];
    for (let i = 0; i < 3; i++) {
      const made = await makeUser(db, {
        organizationId: org.organization.id,
        role: "peer_mentor",
        password: false,
      });
      mentors.push(made.id);
    }
    const quiet = (
      await makeUser(db, { organizationId: org.organization.id, role: "peer_mentor", password: false })
    ).id;
    // Busy weeks and quiet months, several a day, some deleted, some just outside 2025 in Oslo.
    const rows: (typeof schema.activities.$inferInsert)[] = [];
    for (const [i, userId] of mentors.entries()) {
      const count = [0, 12, 60, 130][i]!;
      for (let n = 0; n < count; n++) {
        const day = random() < 0.5 ? Math.floor(random() * 20) + 60 : Math.floor(random() * 369) - 2;
        const at = new Date(
          Date.UTC(2024, 11, 31, 23, 0) + day * 86_400_000 + Math.floor(random() * 86_400_000),
        );
        rows.push({
          organizationId: org.organization.id,
          userId,
          activityTypeId: pick(Object.values(org.types)),
          occurredAt: at,
          durationMinutes: Math.floor(random() * 180),
          contactRef: random() < 0.2 ? null : pick(["c1", "c2", "c3", "c4", "c5", "c6"]),
          deletedAt: random() < 0.1 ? at : null,
        });
      }
    }
    await db.insert(schema.activities).values(rows);
    const slugOf = Object.fromEntries(Object.entries(org.types).map(([slug, id]) => [id, slug]));

    // The reference: each user's 2025 activities, read one by one.
    const expected = (userId: string) => {
      const mine = rows
        .filter(
          (r) =>
            r.userId === userId &&
            !r.deletedAt &&
            localDate(r.occurredAt as Date, "Europe/Oslo").year === 2025,
        )
        .sort((a, b) => (a.occurredAt as Date).getTime() - (b.occurredAt as Date).getTime());
      const day = (r: (typeof mine)[number]) => localDayKey(r.occurredAt as Date, "Europe/Oslo");
      const perDay = new Map<string, number>();
      for (const r of mine) perDay.set(day(r), (perDay.get(day(r)) ?? 0) + 1);
      const days = [...perDay.keys()].sort();
      let busiest: { date: string; count: number } | null = null;
      for (const d of days)
        if (!busiest || perDay.get(d)! > busiest.count) busiest = { date: d, count: perDay.get(d)! };
      let longest: { days: number; endsOn: string } | null = null;
      let run = 0;
      days.forEach((d, k) => {
        run = k > 0 && daysBetween(days[k - 1]!, d) === 1 ? run + 1 : 1;
        if (!longest || run > longest.days) longest = { days: run, endsOn: d };
      });
      const perType = new Map<string, number>();
      for (const r of mine)
        perType.set(slugOf[r.activityTypeId]!, (perType.get(slugOf[r.activityTypeId]!) ?? 0) + 1);
      const top = [...perType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
      const reached = [...MILESTONES].filter((m) => m <= mine.length).pop();
      const monthly = Array<number>(12).fill(0);
      for (const r of mine) monthly[localDate(r.occurredAt as Date, "Europe/Oslo").month - 1]!++;
      return {
        totalActivities: mine.length,
        totalMinutes: mine.reduce((sum, r) => sum + r.durationMinutes, 0),
        totalContacts: new Set(mine.map((r) => r.contactRef).filter(Boolean)).size,
        topActivityType: top,
        monthlyCounts: monthly,
        longestStreak: longest,
        busiestDay: busiest,
        firstActivity: mine[0] ? { date: day(mine[0]), activityType: slugOf[mine[0].activityTypeId]! } : null,
        milestone: reached ? { count: reached, date: day(mine[reached - 1]!) } : null,
      };
    };
    const facts = await yearFacts(db, org.organization, 2025, [...mentors, quiet]);
    for (const userId of [...mentors, quiet]) expect(facts.get(userId)).toMatchObject(expected(userId));
    expect(facts.get(quiet)).toMatchObject({ totalActivities: 0, monthlyCounts: Array(12).fill(0) });
    expect(facts.get(mentors[3]!)!.milestone!.count).toBe(100);
  });
});

describe("the embedded database's upkeep", () => {
  it("vacuums and analyzes at the job's first run in a process, then once an hour, and never stops the job", async () => {
    const db = api.database.db;
    await db.execute(sql`create table upkeep_probe (n int)`);
    await db.execute(sql`insert into upkeep_probe select generate_series(1, 100)`);
    const tuples = async () =>
      Number(
        (
          await rowsOf<{ n: number }>(
            db.execute(sql`select reltuples as n from pg_class where relname = 'upkeep_probe'`),
          )
        )[0]!.n,
      );
    expect(await tuples()).toBe(-1); // never analyzed
    const logger = api.server.services.logger;
    const job = { db, clock: api.clock, logger, leaseMs: 60_000 };
    const upkeep = { everyMs: 3_600_000, lastAt: null };
    expect(await maintainEmbedded(job)).toBe(false); // no upkeep: PostgreSQL's autovacuum does it
    expect(await maintainEmbedded({ ...job, upkeep })).toBe(true);
    expect(await tuples()).toBe(100);
    expect(await maintainEmbedded({ ...job, upkeep })).toBe(false); // within the hour
    const before = api.clock.now();
    api.clock.advance(3_600_000);
    expect(await maintainEmbedded({ ...job, upkeep })).toBe(true);
    // A failing vacuum is logged, and the job goes on.
    api.clock.advance(3_600_000);
    const failing = {
      ...job,
      db: { execute: () => Promise.reject(new Error("disk full")) } as never,
      upkeep,
    };
    expect(await maintainEmbedded(failing)).toBe(false);
    api.clock.set(before);
    await db.execute(sql`drop table upkeep_probe`);
  });
});
