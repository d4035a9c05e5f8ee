import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, now: "2026-06-15T12:00:00Z" });
});
afterAll(() => api.close());

describe("peer mentors' activities", () => {
  it("unlock count-based badges (seed 000's first_activity and ten_activities) as they are logged", async () => {
    const org = await volunteerTenant(api);
    await org.achievement({ key: "first_activity", name: "First activity", t: "activity_count", th: 1 });
    await org.achievement({ key: "ten_activities", name: "Ten activities", t: "activity_count", th: 10 });
    await api.settle(org.organization.id);
    const first = await org.log({ at: "2026-06-01T09:00:00Z" });
    expect(first.errors).toBeUndefined();
    expect(
      first.data.logActivity.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["first_activity"]);
    for (let day = 2; day <= 9; day++) await org.log({ at: `2026-06-0${day}T09:00:00Z` });
    expect(await org.badge("ten_activities")).toMatchObject({
      state: "IN_PROGRESS",
      progress: 90,
      rules: [{ value: 9, remaining: 1 }],
    });
    const tenth = await org.log({ at: "2026-06-10T09:00:00Z" });
    expect(
      tenth.data.logActivity.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["ten_activities"]);
  });

  it("narrow a trigger by metadata: home visits in a calendar year, counted in the organization's zone", async () => {
    const org = await volunteerTenant(api);
    const made = await org.achievement({
      key: "three_home_visits",
      name: "Three home visits this year",
      t: "activity_count",
      th: 3,
      md: { activity_type: "home_visit", period: "calendar_year" },
      rep: true,
      rp: "yearly",
    });
    expect(made.createAchievement.triggerMetricId).toBeTruthy();
    // 23:30 UTC on New Year's Eve is already 2026 in Oslo.
    await org.log({ at: "2025-12-31T23:30:00Z" });
    await org.log({ type: "phone_call", at: "2026-02-01T10:00:00Z" });
    await org.log({ at: "2026-03-01T10:00:00Z" });
    expect(await org.badge("three_home_visits")).toMatchObject({ progress: 66, rules: [{ value: 2 }] });
    const third = await org.log({ at: "2026-04-01T10:00:00Z" });
    expect(
      third.data.logActivity.awards.map((a: { achievement: { key: string } }) => a.achievement.key),
    ).toEqual(["three_home_visits"]);
  });

  it("corrections and deletions ripple to the metrics, for that user's windows only", async () => {
    const org = await volunteerTenant(api);
    const metrics = await api.ok(`{ allMetrics(perPage: 500) { id key } }`, {}, org.admin.token);
    const id = (k: string) => metrics.allMetrics.find((m: { key: string }) => m.key === k).id;
    const value = async (key: string, window = "all") => {
      const rows = await api.database.db
        .select()
        .from(schema.metricValues)
        .where(eq(schema.metricValues.userId, org.mentor.id));
      return rows.find((r) => r.metricId === id(key) && r.windowKey === window)?.value ?? 0;
    };
    const a = await org.log({ at: "2026-06-01T09:00:00Z", minutes: 90, contact: "c1" });
    await org.log({ at: "2026-06-02T09:00:00Z", minutes: 30, contact: "c2" });
    await org.log({ at: "2026-06-03T09:00:00Z", minutes: 60, contact: "c1" });
    expect([
      await value("activities"),
      await value("activity_hours"),
      await value("contacts_reached"),
      await value("streak_days"),
    ]).toEqual([3, 3, 2, 3]);

    const activityId = a.data.logActivity.activity.id;
    const corrected = await api.gql(
      `mutation($id: ID!) { updateActivity(id: $id, durationMinutes: 120, occurredAt: "2026-05-20T09:00:00Z", contactRef: "c3") { activity { durationMinutes } } }`,
      { id: activityId },
      org.token,
    );
    expect(corrected.errors).toBeUndefined();
    expect([
      await value("activities"),
      await value("activity_hours"),
      await value("contacts_reached"),
      await value("streak_days"),
    ]).toEqual([3, 3.5, 3, 2]);

    await api.ok(
      `mutation($id: ID!) { deleteActivity(id: $id) { deletedAt } }`,
      { id: activityId },
      org.token,
    );
    expect([
      await value("activities"),
      await value("activity_hours"),
      await value("contacts_reached"),
    ]).toEqual([2, 1.5, 2]);
    const mine = await api.ok(`{ myActivities { id } }`, {}, org.token);
    expect(mine.myActivities).toHaveLength(2);
    const again = await api.gql(
      `mutation($id: ID!) { deleteActivity(id: $id) { id } }`,
      { id: activityId },
      org.token,
    );
    expect(again.errors![0]!.extensions!.issues[0].rule).toBe("activity_deleted");
  });

  it("refuse bad input by field and rule, and other people's activities", async () => {
    const org = await volunteerTenant(api);
    const bad = await api.gql(
      `mutation($t: ID!) { logActivity(activityTypeId: $t, durationMinutes: 2000, occurredAt: "2030-01-01T00:00:00Z") { activity { id } } }`,
      { t: org.types.home_visit },
      org.token,
    );
    expect(bad.errors![0]!.extensions!.issues.map((i: { rule: string }) => i.rule).sort()).toEqual([
      "duration_range",
      "occurred_at_not_future",
    ]);
    const other = await volunteerTenant(api);
    const foreign = await api.gql(
      `mutation($t: ID!) { logActivity(activityTypeId: $t, durationMinutes: 30) { activity { id } } }`,
      { t: other.types.home_visit },
      org.token,
    );
    expect(foreign.errors![0]!.extensions!.issues[0]).toMatchObject({
      field: "activityTypeId",
      rule: "activity_type_valid",
    });
    const theirs = await other.log({});
    const steal = await api.gql(
      `mutation($id: ID!) { deleteActivity(id: $id) { id } }`,
      { id: theirs.data.logActivity.activity.id },
      org.token,
    );
    expect(steal.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });

  it("count event attendance once per event", async () => {
    const org = await volunteerTenant(api);
    const attend = () =>
      api.ok(
        `mutation { attendEvent(eventRef: "summer-gathering", eventName: "Summer gathering") { replayed } }`,
        {},
        org.token,
      );
    expect((await attend()).attendEvent.replayed).toBe(false);
    expect((await attend()).attendEvent.replayed).toBe(true);
  });
});

describe("notifications", () => {
  it("are listed newest first and marked read, only the viewer's own", async () => {
    const org = await volunteerTenant(api);
    await org.achievement({ key: "first_activity", name: "First activity", t: "activity_count", th: 1 });
    await org.achievement({ key: "two_activities", name: "Two activities", t: "activity_count", th: 2 });
    await api.settle(org.organization.id);
    await org.log({ at: "2026-06-01T09:00:00Z" });
    await org.log({ at: "2026-06-02T09:00:00Z" });
    const list = await api.ok(`{ myNotifications(unreadOnly: true) { id title readAt } }`, {}, org.token);
    expect(list.myNotifications.map((n: { title: string }) => n.title)).toEqual([
      "Badge earned: Two activities",
      "Badge earned: First activity",
    ]);
    const other = await volunteerTenant(api);
    const foreign = await api.ok(
      `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
      { ids: [list.myNotifications[0].id] },
      other.token,
    );
    expect(foreign.markNotificationsRead).toBe(0);
    const mine = await api.ok(
      `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
      { ids: [list.myNotifications[0].id] },
      org.token,
    );
    expect(mine.markNotificationsRead).toBe(1);
    const rest = await api.ok(`mutation { markNotificationsRead }`, {}, org.token);
    expect(rest.markNotificationsRead).toBe(1);
    expect(
      (await api.ok(`{ myNotifications(unreadOnly: true) { id } }`, {}, org.token)).myNotifications,
    ).toEqual([]);
  });
});
