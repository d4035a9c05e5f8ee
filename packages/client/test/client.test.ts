import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gameTenant } from "../../../apps/api/test/support/engine.js";
import { makeTenant, makeUser, unique } from "../../../apps/api/test/support/factories.js";
import { startTestServer, type TestApi } from "../../../apps/api/test/support/server.js";
import { createLaurelClient, type LaurelClient } from "../src/index.js";

// The real API, in this process, over real HTTP: the client is tested as an app would use it.
let api: TestApi;
beforeAll(async () => {
  // 15 June 2026: 2025 is a finished year, 2026 a year-to-date preview.
  api = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, now: "2026-06-15T12:00:00Z" });
});
afterAll(() => api.close());

/** A volunteer organisation with one activity type, a first-activity badge and a peer mentor signed in through the client. */
async function volunteer() {
  const tenant = await makeTenant(api, {
    timeZone: "Europe/Oslo",
    currency: "NOK",
    locale: "nb",
    modules: ["achievements-gamification"],
  });
  const type = await api.ok(
    `mutation { createActivityType(slug: "home_visit", name: "Home visit") { id } }`,
    {},
    tenant.admin.token,
  );
  const mentor = await makeUser(api.database.db, {
    organizationId: tenant.organization.id,
    role: "peer_mentor",
    password: false,
  });
  const client = createLaurelClient({ url: `${api.url}/graphql` });
  const signedIn = await client.signInWithCode(mentor.email, "12345");
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  return { tenant, mentor, client, typeId: type.createActivityType.id as string };
}

async function badge(client: LaurelClient, key: string) {
  const result = await client.badges();
  if (!result.ok) throw new Error(result.error.message);
  return result.data.find((b) => b.key === key);
}

describe("signing in", () => {
  it("asks for a code, signs in with it, keeps the token and reads the organization", async () => {
    const { tenant } = await volunteer();
    const mentor = await makeUser(api.database.db, {
      organizationId: tenant.organization.id,
      role: "peer_mentor",
      password: false,
    });
    const changes: (string | null)[] = [];
    const client = createLaurelClient({ url: `${api.url}/graphql`, onTokenChange: (t) => changes.push(t) });

    expect(await client.requestSignInCode(mentor.email)).toEqual({ ok: true, data: true });
    const signedIn = await client.signInWithCode(mentor.email, "12345");
    expect(signedIn.ok).toBe(true);
    expect(client.token).toMatch(/\S{20,}/);
    expect(changes).toEqual([client.token]);

    const me = await client.me();
    expect(me).toMatchObject({
      ok: true,
      data: {
        email: mentor.email,
        organization: { locale: "nb", currency: "NOK", timeZone: "Europe/Oslo" },
        role: { key: "peer_mentor" },
      },
    });
    if (me.ok) {
      expect(me.data.organization!.modules).toContain("achievements-gamification");
      expect(me.data.role.permissions).toContain("log:activities");
    }

    client.signOut();
    expect(client.token).toBeNull();
    const anonymous = await client.me();
    expect(anonymous).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("signs out everywhere: every device's token stops working", async () => {
    const { mentor, client } = await volunteer();
    const otherDevice = createLaurelClient({ url: `${api.url}/graphql` });
    expect((await otherDevice.signInWithCode(mentor.email, "12345")).ok).toBe(true);
    expect(await client.signOutEverywhere()).toEqual({ ok: true, data: true });
    expect(client.token).toBeNull();
    expect(await otherDevice.me()).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("returns a wrong code as a typed error, not an exception", async () => {
    const { mentor } = await volunteer();
    const client = createLaurelClient({ url: `${api.url}/graphql` });
    const result = await client.signInWithCode(mentor.email, "00000");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("UNAUTHENTICATED");
      expect(result.error.message).not.toBe("");
    }
    expect(client.token).toBeNull();
  });
});

describe("badges and activities", () => {
  it("shows a locked badge with what is left, and the activity that unlocks it carries the award", async () => {
    const { tenant, client, typeId } = await volunteer();
    const key = unique("first_");
    await api.ok(
      `mutation($key: String!) { createAchievement(key: $key, name: "First activity", description: "Log one",
        category: milestone, triggerType: activity_count, triggerThreshold: 1, points: 10) { id } }`,
      { key },
      tenant.admin.token,
    );
    await api.settle(tenant.organization.id);

    const before = await badge(client, key);
    expect(before).toMatchObject({
      state: "LOCKED",
      progress: 0,
      points: 10,
      earnedAt: null,
    });
    expect(before!.rules).toEqual([
      expect.objectContaining({ metricKey: "activities", target: 1, remaining: 1 }),
    ]);

    const types = await client.activityTypes();
    expect(types).toMatchObject({ ok: true, data: [{ id: typeId, slug: "home_visit" }] });

    const logged = await client.logActivity({
      activityTypeId: typeId,
      durationMinutes: 45,
      occurredAt: "2026-06-14T10:00:00Z",
      contactRef: "contact-1",
    });
    expect(logged.ok).toBe(true);
    if (!logged.ok) return;
    expect(logged.data.activity).toMatchObject({ durationMinutes: 45, activityType: { slug: "home_visit" } });
    expect(logged.data.awards).toEqual([
      expect.objectContaining({
        completed: true,
        pointsAwarded: 10,
        achievement: expect.objectContaining({ key }),
      }),
    ]);

    const after = await badge(client, key);
    expect(after).toMatchObject({ state: "EARNED", progress: 100, timesEarned: 1, rarity: 1 });
    expect(after!.earnedAt).not.toBeNull();
    expect(await client.standing()).toMatchObject({ ok: true, data: { points: 10, badgesEarned: 1 } });
    expect(await client.activities(5)).toMatchObject({ ok: true, data: [{ durationMinutes: 45 }] });

    const notes = await client.notifications({ unreadOnly: true });
    expect(notes.ok && notes.data.length).toBe(1);
    expect(await client.markNotificationsRead()).toEqual({ ok: true, data: 1 });
    expect(await client.notifications({ unreadOnly: true })).toEqual({ ok: true, data: [] });
  });

  it("leaves a hidden badge out until it is earned, and counts it", async () => {
    const { tenant, client } = await volunteer();
    const key = unique("secret_");
    await api.ok(
      `mutation($key: String!) { createAchievement(key: $key, name: "Secret", description: "Shh", category: special,
        triggerType: activity_count, triggerThreshold: 5, isHidden: true) { id } }`,
      { key },
      tenant.admin.token,
    );
    const result = await client.badges();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.map((b) => b.key)).not.toContain(key);
    expect(await client.standing()).toMatchObject({ ok: true, data: { hiddenRemaining: 1 } });
  });

  it("returns a validation failure with its field and rule", async () => {
    const { client, typeId } = await volunteer();
    const result = await client.logActivity({ activityTypeId: typeId, durationMinutes: 5000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("BAD_USER_INPUT");
    expect(result.error.issues).toContainEqual(
      expect.objectContaining({ field: "durationMinutes", rule: "duration_range", severity: "error" }),
    );
    expect(result.error.message).toMatch(/durationMinutes/);
  });

  it("refuses a participant without log:activities with FORBIDDEN", async () => {
    const game = await gameTenant(api);
    const client = createLaurelClient({ url: `${api.url}/graphql` });
    expect((await client.signInWithCode(game.player.email, "12345")).ok).toBe(true);
    const result = await client.logActivity({ activityTypeId: crypto.randomUUID(), durationMinutes: 10 });
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});

describe("events from a tenant's backend", () => {
  it("records an event with an API key and reports the badge it completes", async () => {
    const game = await gameTenant(api);
    const ruleId = await game.rule("First Win Rule", "wins", "gte", 1, 100);
    const made = await game.achievement({ key: unique("first_win_"), name: "First Win", ruleIds: [ruleId] });
    expect(made.errors).toBeUndefined();
    await api.settle(game.organization.id);

    const backend = createLaurelClient({ url: `${api.url}/graphql`, apiKey: game.backend.apiKey });
    const idempotencyKey = unique("match-");
    const won = await backend.recordEvent({ userId: game.player.id, type: "match_won", idempotencyKey });
    expect(won).toMatchObject({ ok: true, data: { replayed: false, event: { type: "match_won" } } });
    if (won.ok) expect(won.data.awards.map((a) => a.achievement.name)).toEqual(["First Win"]);
    const again = await backend.recordEvent({ userId: game.player.id, type: "match_won", idempotencyKey });
    // A replay answers with the first result's awards: nothing is counted or awarded twice.
    expect(again).toMatchObject({ ok: true, data: { replayed: true } });
    const player = createLaurelClient({ url: `${api.url}/graphql` });
    await player.signInWithCode(game.player.email, "12345");
    expect(await player.standing()).toMatchObject({ ok: true, data: { badgesEarned: 1 } });
  });
});

describe("Wrapped and the advantage calculator", () => {
  it("gives a finished year's totals, a flagged preview of this year, and marks it viewed", async () => {
    const { client, typeId } = await volunteer();
    for (const [at, minutes, contact] of [
      ["2025-03-03T09:00:00Z", 90, "c1"],
      ["2025-03-04T09:00:00Z", 30, "c2"],
      ["2025-11-20T10:00:00Z", 60, "c1"],
      ["2026-02-01T10:00:00Z", 60, "c3"],
    ] as const) {
      const logged = await client.logActivity({
        activityTypeId: typeId,
        durationMinutes: minutes,
        occurredAt: at,
        contactRef: contact,
      });
      expect(logged.ok).toBe(true);
    }

    const last = await client.annualSummary(2025);
    expect(last).toMatchObject({
      ok: true,
      data: {
        year: 2025,
        isPreview: false,
        totalActivities: 3,
        totalHours: 3,
        totalContactsReached: 2,
        mostActiveMonth: 3,
        topActivityType: "home_visit",
        monthlyActivityCounts: [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        viewedAt: null,
      },
    });
    const viewed = await client.markAnnualSummaryViewed(2025);
    expect(viewed.ok && viewed.data.viewedAt).toBeTruthy();

    const preview = await client.annualSummary(2026);
    expect(preview).toMatchObject({ ok: true, data: { year: 2026, isPreview: true, totalActivities: 1 } });
  });

  it("values the hours at the organization's rate, in its currency", async () => {
    const { tenant, client, typeId } = await volunteer();
    await api.ok(
      `mutation { createAdvantageParameter(year: 2025, hourlyRate: 535, source: "Average hourly earnings 2024", benefitCategories: [
        { key: "skill_development", label: "Skill development", basis: "hours", rate: 60 } ]) { id } }`,
      {},
      tenant.admin.token,
    );
    await client.logActivity({
      activityTypeId: typeId,
      durationMinutes: 120,
      occurredAt: "2025-05-05T10:00:00Z",
    });
    await client.logActivity({
      activityTypeId: typeId,
      durationMinutes: 60,
      occurredAt: "2025-05-06T10:00:00Z",
    });

    const result = await client.advantage(2025);
    expect(result).toMatchObject({
      ok: true,
      data: {
        year: 2025,
        totalHours: 3,
        hourlyRate: 535,
        estimatedMonetaryValue: 1605,
        currency: "NOK",
        rateSource: "Average hourly earnings 2024",
        advantageBreakdown: [
          { key: "skill_development", label: "Skill development", quantity: 3, rate: 60, value: 180 },
        ],
      },
    });
  });
});

describe("webhooks", () => {
  it("an organization admin registers an endpoint, sees its secret once, rotates it, sends a test event and lists it", async () => {
    const tenant = await makeTenant(api);
    const client = createLaurelClient({ url: `${api.url}/graphql`, token: tenant.admin.token });
    const types = await client.webhooks.eventTypes();
    expect(types.ok && types.data).toContain("achievement.earned");
    const made = await client.webhooks.create({
      url: "https://hooks.example.org/laurel",
      eventTypes: ["achievement.earned"],
      description: "CRM",
    });
    if (!made.ok) throw new Error(made.error.message);
    expect(made.data.secret).toMatch(/^whsec_/);
    expect(made.data.deliveryStats).toEqual({ pending: 0, delivered: 0, failed: 0 });
    const bad = await client.webhooks.create({ url: "ftp://nope", eventTypes: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_USER_INPUT" } });
    if (!bad.ok)
      expect(bad.error.issues.map((i) => i.rule).sort()).toEqual(["event_types_not_empty", "url_scheme"]);
    const rotated = await client.webhooks.rotateSecret(made.data.id, 2);
    expect(rotated.ok && rotated.data.secret).not.toBe(made.data.secret);
    const sent = await client.webhooks.sendTest(made.data.id);
    expect(sent.ok && sent.data).toMatchObject({ status: "PENDING", eventType: "webhook.test" });
    const log = await client.webhooks.deliveries({ filter: { endpointId: made.data.id } });
    expect(log.ok && log.data.total).toBe(1);
    const listed = await client.webhooks.list();
    expect(listed.ok && listed.data.endpoints.map((e) => e.id)).toEqual([made.data.id]);
    const off = await client.webhooks.update({ id: made.data.id, enabled: false });
    expect(off.ok && off.data).toMatchObject({ enabled: false, disabledReason: "admin" });
    expect((await client.webhooks.remove(made.data.id)).ok).toBe(true);
  });
});

describe("failures that are not the API's", () => {
  it("turns an unreachable server into a NETWORK_ERROR", async () => {
    // A port nobody listens on: the server is started and closed to find one.
    const other = await startTestServer({ database: api.database });
    const url = `${other.url}/graphql`;
    await other.close();
    const client = createLaurelClient({ url });
    const result = await client.badges();
    expect(result).toMatchObject({ ok: false, error: { code: "NETWORK_ERROR", issues: [] } });
  });

  it("turns a response that is not GraphQL into a BAD_RESPONSE", async () => {
    const client = createLaurelClient({ url: `${api.url}/no-such-endpoint` });
    const result = await client.badges();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(["BAD_RESPONSE", "NOT_FOUND"]).toContain(result.error.code);
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const client = createLaurelClient({
      url: `${api.url}/graphql`,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await client.requestSignInCode(`${unique("nobody-")}@example.test`);
    expect(seen).toEqual([`${api.url}/graphql`]);
  });
});
