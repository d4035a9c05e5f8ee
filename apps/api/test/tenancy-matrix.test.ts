import { schema as db } from "@laurel/db";
import { type GraphQLArgument, type GraphQLField, isNonNullType } from "graphql";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSchema } from "../src/schema.js";
import { actor } from "./support/factories.js";
import { gameTenant } from "./support/engine.js";
import { connectLive, type Feed, type Live } from "./support/live.js";
import { selection, valueFor } from "./support/operations.js";
import { startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

/**
 * Every query and mutation of the schema, called as each role of a foreign tenant with the victim
 * tenant's ids in every argument that takes one: no victim data may come back, and nothing of the
 * victim's may change. Platform-wide rows are part of the victim: organization admins cannot touch them.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    // "tenancy-matrix": a module the installation offers and no tenant has (the platform badge's gate).
    env: {
      LAUREL_DEV_LOGIN_CODE: "12345",
      LAUREL_MODULES: "achievements-gamification,certification-training,tenancy-matrix",
    },
    now: "2026-01-10T12:00:00Z",
  });
});
const sockets: Live[] = [];
afterAll(async () => {
  await Promise.all(sockets.map((live) => live.dispose()));
  await api.close();
});

type Victim = { organizationId: string; ids: Map<string, string>; secrets: string[] };

/** The victim: a volunteer organisation with a bit of everything, and a platform-wide achievement. */
async function buildVictim(): Promise<Victim> {
  const org = await volunteerTenant(api);
  const t = org.admin.token;
  const logged = await org.log({ at: "2025-05-05T10:00:00Z", contact: "victim-contact" });
  const rule = await api.ok(`{ allMetrics(filter: { q: "activities" }) { id } }`, {}, t);
  const ruleMade = await api.ok(
    `mutation($m: ID!) { createAchievementRule(name: "victim rule", metricId: $m, comparator: gte, target: 2, weight: 100) { id } }`,
    { m: rule.allMetrics[0].id },
    t,
  );
  const consumable = await api.ok(
    `mutation { createConsumable(name: "victim boost", type: exp, value: 5) { id } }`,
    {},
    t,
  );
  const achievement = await api.ok(
    `mutation($r: ID!, $c: ID!) { createAchievement(key: "victim_badge", name: "victim badge", description: "d", category: special, triggerType: rules,
      ruleIds: [$r], rewards: [{ consumableId: $c }]) { id } }`,
    { r: ruleMade.createAchievementRule.id, c: consumable.createConsumable.id },
    t,
  );
  const manual = await api.ok(
    `mutation { createAchievement(key: "victim_manual", name: "victim manual", description: "d", category: special, triggerType: manual) { id } }`,
    {},
    t,
  );
  await api.ok(
    `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
    { u: org.mentor.id, a: manual.createAchievement.id },
    t,
  );
  const metric = await api.ok(
    `mutation { createMetric(key: "victim_metric", name: "victim metric", eventTypes: ["victim_event"], aggregation: count) { id } }`,
    {},
    t,
  );
  const role = await api.ok(
    `mutation { createRole(key: "victim_role", name: "victim role", permissions: ["read:progress"]) { id } }`,
    {},
    t,
  );
  const key = await api.ok(`mutation { createApiKey(name: "victim key") { id } }`, {}, t);
  const params = await api.ok(
    `mutation { createAdvantageParameter(year: 2025, hourlyRate: 500, source: "victim source") { id } }`,
    {},
    t,
  );
  await api.ok(`{ myAnnualSummary(year: 2025) { id } myAdvantage(year: 2025) { id } }`, {}, org.token);
  const [summary] = await api.database.db
    .select()
    .from(db.annualSummaries)
    .where(eq(db.annualSummaries.userId, org.mentor.id));
  const [calculation] = await api.database.db
    .select()
    .from(db.advantageCalculations)
    .where(eq(db.advantageCalculations.userId, org.mentor.id));
  const [award] = await api.database.db
    .select()
    .from(db.userAchievements)
    .where(eq(db.userAchievements.userId, org.mentor.id));
  const [notification] = await api.database.db
    .select()
    .from(db.notifications)
    .where(eq(db.notifications.userId, org.mentor.id));
  const [run] = await api.database.db
    .select()
    .from(db.backfillRuns)
    .where(eq(db.backfillRuns.organizationId, org.organization.id));
  const endpoint = await api.ok(
    `mutation { createWebhookEndpoint(url: "https://victim.example.test/hook", eventTypes: ["achievement.earned"]) { id } }`,
    {},
    t,
  );
  const delivery = await api.ok(
    `mutation($id: ID!) { sendTestWebhook(id: $id) { id } }`,
    { id: endpoint.createWebhookEndpoint.id },
    t,
  );
  const global = await actor(api, null, "global_admin");
  // Gated by a module no tenant has: on a shared database, other tests' catalogs must not show it.
  const platform = await api.ok(
    `mutation { createAchievement(key: "platform_badge_matrix", name: "platform badge", description: "d", category: special, triggerType: manual,
      requiresModule: "tenancy-matrix") { id } }`,
    {},
    global.token,
  );
  const ids = new Map<string, string>([
    ["Organization", org.organization.id],
    ["User", org.mentor.id],
    ["Role", role.createRole.id],
    ["ActivityType", org.types.home_visit!],
    ["ApiKey", key.createApiKey.id],
    ["Metric", metric.createMetric.id],
    ["AchievementRule", ruleMade.createAchievementRule.id],
    ["Consumable", consumable.createConsumable.id],
    ["Achievement", achievement.createAchievement.id],
    ["Activity", logged.data.logActivity.activity.id],
    ["AnnualSummary", summary!.id],
    ["AdvantageCalculation", calculation!.id],
    ["AdvantageParameter", params.createAdvantageParameter.id],
    ["UserAchievement", award!.id],
    ["Notification", notification!.id],
    ["BackfillRun", run!.id],
    ["WebhookEndpoint", endpoint.createWebhookEndpoint.id],
    ["WebhookDelivery", delivery.sendTestWebhook.id],
    ["PlatformAchievement", platform.createAchievement.id],
  ]);
  return {
    organizationId: org.organization.id,
    ids,
    secrets: [...ids.values()].filter((id) => id !== platform.createAchievement.id),
  };
}

/** A fingerprint of everything the victim owns (and of platform-wide rows), to prove nothing changed. */
async function fingerprint(organizationId: string, since: Date): Promise<string> {
  const tables = [
    "organizations",
    "users",
    "roles",
    "activity_types",
    "api_keys",
    "metric_definitions",
    "achievement_rules",
    "consumables",
    "achievements",
    "activities",
    "event_attendances",
    "events",
    "metric_values",
    "user_achievements",
    "reward_ledger",
    "notifications",
    "annual_summaries",
    "advantage_calculations",
    "advantage_parameters",
    "backfill_runs",
    "webhook_endpoints",
    "webhook_deliveries",
    "outbox",
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const column = table === "organizations" ? "id" : "organization_id";
    // Timestamps of reads (last_used_at, updated_at of untouched rows) do not move, so whole rows are compared.
    // Platform users (Global Administrators) are the ones that existed at the start, without the times a
    // sign-in sets: other test files, sharing a PostgreSQL database, make and sign in their own meanwhile.
    // Webhook deliveries: the victim's test event's, and any other test event (what an attacker could make);
    // another test file's relay may meanwhile hand the victim's outbox rows to its endpoint.
    const where =
      table === "users"
        ? `${column} = '${organizationId}' or (${column} is null and created_at < '${since.toISOString()}')`
        : table === "webhook_deliveries"
          ? `${column} = '${organizationId}' and event_type = 'webhook.test'`
          : `${column} = '${organizationId}' or ${column} is null`;
    const row = table === "users" ? `(to_jsonb(t) - 'last_sign_in_at' - 'updated_at')::text` : "t::text";
    const result = await api.database.db.execute(
      sql.raw(
        `select md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as h from ${table} t where ${where}`,
      ),
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { h: string }[];
    parts.push(`${table}:${rows[0]!.h}`);
  }
  return parts.join(",");
}

function operation(
  kind: "query" | "mutation" | "subscription",
  field: GraphQLField<unknown, unknown>,
  victim: Victim,
) {
  const args = field.args as readonly GraphQLArgument[];
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of args) {
    if (!isNonNullType(arg.type) && !/id|ids|filter|organizationId/i.test(arg.name)) continue;
    variables[arg.name] =
      arg.name === "filter"
        ? { ids: [...victim.secrets] }
        : valueFor(arg.type, arg.name, field, (target) => victim.ids.get(target) ?? victim.ids.get("User"));
    declared.push(`$${arg.name}: ${arg.type.toString()}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  const head = declared.length ? `(${declared.join(", ")})` : "";
  const call = passed.length ? `(${passed.join(", ")})` : "";
  return { text: `${kind}${head} { ${field.name}${call} ${selection(field.type)} }`, variables };
}

/** Operations that only ever touch the caller's own rows, or no rows at all. */
const HARMLESS = new Set(["login", "loginWithCode", "requestSignInCode", "health"]);

describe("a foreign tenant, in every role, against every operation", () => {
  it("reads none of the victim's data and changes none of it", async () => {
    const victim = await buildVictim();
    const attacker = await gameTenant(api);
    const apiKey = attacker.backend;
    const actors: [string, string | { apiKey: string }][] = [
      ["org_admin", attacker.admin.token],
      ["coordinator", (await attacker.as("coordinator")).token],
      ["player", (await attacker.as("player")).token],
      ["peer_mentor", (await attacker.as("peer_mentor")).token],
      ["api key", apiKey],
    ];
    const start = new Date();
    const before = await fingerprint(victim.organizationId, start);
    const schema = await getSchema();
    const fields = [
      ...Object.values(schema.getQueryType()!.getFields()).map((f) => ["query", f] as const),
      ...Object.values(schema.getMutationType()!.getFields()).map((f) => ["mutation", f] as const),
    ].filter(([, f]) => !HARMLESS.has(f.name));
    expect(fields.length).toBeGreaterThan(60);
    const leaks: string[] = [];
    for (const [role, auth] of actors) {
      for (const [kind, field] of fields) {
        const { text, variables } = operation(kind, field, victim);
        const result = await api.gql(text, variables, auth);
        const data = JSON.stringify(result.data ?? null);
        for (const secret of victim.secrets)
          if (data.includes(secret)) leaks.push(`${role} ${field.name} read ${secret}`);
        for (const error of result.errors ?? []) {
          if (error.extensions?.code === "INTERNAL_SERVER_ERROR")
            leaks.push(`${role} ${field.name} crashed: ${error.message}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(await fingerprint(victim.organizationId, start)).toBe(before);
    // Platform-wide rows stayed as they were too (they are in the fingerprint: organization_id is null).
    const [platform] = await api.database.db
      .select()
      .from(db.achievements)
      .where(eq(db.achievements.key, "platform_badge_matrix"));
    expect(platform).toMatchObject({ name: "platform badge", isActive: true });
  });
});

/**
 * The subscriptions, over a real WebSocket: a foreign tenant's subscribers in every role, each asking for
 * the victim's tenant (its ids in every argument that takes one) and for their own, while the victim's
 * people earn badges. A refused subscription is fine; one that carries the victim's events is a leak. Each
 * subscriber that was let in then gets an event of its own tenant, sent after the victim's: the hub hands
 * events to each subscriber in order, so anything of the victim's would have come before it.
 */
describe("a foreign tenant's live subscriptions, in every role", () => {
  it("carry none of the victim's events", async () => {
    // A server of its own, with its own database on PostgreSQL: its relay must not hold other files' rows.
    const server = await startTestServer({ env: { LAUREL_DEV_LOGIN_CODE: "12345" }, own: true });
    const { hub, relay } = server.server.services.outbox;
    await relay.start();
    try {
      const victim = await volunteerTenant(server);
      const manual = await server.ok(
        `mutation { createAchievement(key: "victim_live", name: "victim live", description: "d", category: special, triggerType: manual) { id } }`,
        {},
        victim.admin.token,
      );
      await server.ok(
        `mutation { createAchievement(key: "victim_first", name: "victim first", description: "d", category: activity,
          triggerType: activity_count, triggerThreshold: 1) { id } }`,
        {},
        victim.admin.token,
      );
      const secrets = [victim.organization.id, victim.mentor.id];
      const ids = new Map([
        ["Organization", victim.organization.id],
        ["User", victim.mentor.id],
      ]);
      const attacker = await gameTenant(server);
      const sentinel = await server.ok(
        `mutation { createAchievement(key: "sentinel", name: "sentinel", description: "d", category: special, triggerType: manual) { id } }`,
        {},
        attacker.admin.token,
      );
      const reader = await server.ok(
        `mutation { createApiKey(name: "reader", permissions: ["ingest:events", "read:events"]) { secret } }`,
        {},
        attacker.admin.token,
      );
      const people = await Promise.all(
        (["coordinator", "player", "peer_mentor"] as const).map(
          async (role) => [role, await attacker.as(role)] as const,
        ),
      );
      const actors: [string, string | { apiKey: string }, string | null][] = [
        ["org_admin", attacker.admin.token, attacker.admin.user.id],
        ...people.map(([role, p]) => [role, p.token, p.user.id] as [string, string, string]),
        ["api key", { apiKey: reader.createApiKey.secret }, null],
      ];
      const fields = Object.values((await getSchema()).getSubscriptionType()!.getFields());
      expect(fields.map((f) => f.name).sort()).toEqual(["myEvents", "organizationEvents"]);

      const before = hub.size;
      const feeds: { label: string; userId: string | null; feed: Feed<any> }[] = [];
      for (const [role, auth, userId] of actors) {
        const live = connectLive(server.url, auth);
        sockets.push(live);
        await live.connected;
        for (const field of fields) {
          const asked = operation("subscription", field, {
            organizationId: victim.organization.id,
            ids,
            secrets,
          });
          const own = `subscription { ${field.name} ${selection(field.type)} }`;
          for (const [text, variables] of new Map([
            [asked.text, asked.variables],
            [own, {}],
          ])) {
            feeds.push({ label: `${role} ${text}`, userId, feed: live.subscribe(text, variables) });
          }
        }
      }
      // Every subscription is either in the hub or refused.
      const ended = new Set<(typeof feeds)[number]>();
      for (const f of feeds) void f.feed.ended.then(() => ended.add(f));
      const settled = () => hub.size - before + ended.size;
      for (let waited = 0; settled() < feeds.length; waited += 10) {
        if (waited > 10_000) throw new Error(`${settled()} of ${feeds.length} subscriptions settled`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const active = feeds.filter((f) => !ended.has(f));
      expect(active.length).toBeGreaterThan(0);

      // The victim's people earn badges; the hub has heard it before anything of the attacker's is sent.
      const heard = hub.subscribe((e) => e.organizationId === victim.organization.id);
      try {
        expect((await victim.log({ contact: "victim-live" })).errors).toBeUndefined();
        await server.ok(
          `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
          { u: victim.mentor.id, a: manual.createAchievement.id },
          victim.admin.token,
        );
        await relay.drain();
        const told = await server.database.db
          .select({ id: db.outbox.id })
          .from(db.outbox)
          .where(eq(db.outbox.organizationId, victim.organization.id));
        expect(told.length).toBeGreaterThan(0);
        for (let i = 0; i < told.length; i++) await heard.next();
      } finally {
        await heard.return?.();
      }
      for (const [, , userId] of actors) {
        if (!userId) continue;
        await server.ok(
          `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
          { u: userId, a: sentinel.createAchievement.id },
          attacker.admin.token,
        );
      }
      await relay.drain();
      for (const { feed } of active)
        await feed.until((d) => JSON.stringify(d).includes(attacker.organization.id));

      const leaks: string[] = [];
      for (const { label, feed } of feeds) {
        for (const message of feed.received) {
          const text = JSON.stringify(message.data ?? null);
          for (const secret of secrets) if (text.includes(secret)) leaks.push(`${label} read ${secret}`);
          for (const error of message.errors ?? [])
            if (!["FORBIDDEN", "BAD_USER_INPUT"].includes(error.extensions?.code))
              leaks.push(`${label} failed: ${error.message}`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      await Promise.all(sockets.map((live) => live.dispose()));
      await server.close();
    }
  });
});
