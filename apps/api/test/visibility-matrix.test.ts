import { schema as db } from "@laurel/db";
import { eq } from "drizzle-orm";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSchema } from "../src/schema.js";
import { signInPlayer } from "./support/engine.js";
import { makeUser, unique } from "./support/factories.js";
import { deepSelection, idTarget } from "./support/operations.js";
import { startTestServer, type TestApi } from "./support/server.js";
import { volunteerTenant } from "./support/volunteer.js";

/**
 * Every query, with every nested path reachable from it, asked by participants (a peer mentor and a
 * player) and by an API key with read:progress, with arguments naming a hidden achievement none of them
 * earned, an inactive one and one gated by a module their organization lacks, and the rules of each:
 * none of those definitions may show, by id, key, name or description, in any answer. Another participant
 * earned all three (awards, ledger lines, notifications, `achievement_earned` events, a Wrapped), and the
 * mentor made progress on them, so every table that refers to them has rows to leak.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestServer({
    env: { LAUREL_DEV_LOGIN_CODE: "12345", LAUREL_MODULES: "achievements-gamification,visibility-gate" },
    now: "2026-06-15T12:00:00Z",
  });
});
afterAll(() => api.close());

const GATE = "visibility-gate";

async function buildTenant() {
  const org = await volunteerTenant(api);
  const t = org.admin.token;
  const u = unique();
  const orgId = org.organization.id;
  // The module is on while the earner earns the gated badge, then turned off.
  await api.database.db
    .update(db.organizations)
    .set({ modules: ["achievements-gamification", GATE] })
    .where(eq(db.organizations.id, orgId));
  const metrics = await api.ok(`{ allMetrics(filter: { q: "activities" }) { id key } }`, {}, t);
  const activities = metrics.allMetrics.find((m: { key: string }) => m.key === "activities").id;
  const reward = await api.ok(
    `mutation($n: String!) { createConsumable(name: $n, type: exp, value: 5) { id } }`,
    { n: `boost ${u}` },
    t,
  );
  const rule = async (name: string) =>
    (
      await api.ok(
        `mutation($n: String!, $m: ID!) { createAchievementRule(name: $n, metricId: $m, comparator: gte, target: 3, weight: 100) { id } }`,
        { n: name, m: activities },
        t,
      )
    ).createAchievementRule.id as string;
  const achievement = async (kind: string, extra: Record<string, unknown>) => {
    const ruleName = `Rule of ${kind} ${u}`;
    const ruleId = await rule(ruleName);
    const values = {
      key: `${kind}_${u}`,
      name: `Name of ${kind} ${u}`,
      description: `Description of ${kind} ${u}`,
      ...extra,
    };
    const made = await api.ok(
      `mutation($key: String!, $name: String!, $description: String!, $r: ID!, $c: ID!, $hidden: Boolean, $module: String) {
        createAchievement(key: $key, name: $name, description: $description, category: activity, triggerType: rules,
          ruleIds: [$r], rewards: [{ consumableId: $c }], points: 7, isHidden: $hidden, requiresModule: $module) { id } }`,
      { ...values, r: ruleId, c: reward.createConsumable.id },
      t,
    );
    return { id: made.createAchievement.id as string, ruleId, ruleName, ...values };
  };
  const hidden = await achievement("hidden", { hidden: true });
  const inactive = await achievement("inactive", {});
  const gated = await achievement("gated", { module: GATE });
  const visible = await achievement("visible", {});
  await api.settle(orgId);

  const earner = await makeUser(api.database.db, {
    organizationId: orgId,
    role: "peer_mentor",
    password: false,
  });
  const player = await makeUser(api.database.db, { organizationId: orgId, role: "player", password: false });
  for (const a of [hidden, inactive, gated]) {
    await api.ok(
      `mutation($u: ID!, $a: ID!) { grantAchievement(userId: $u, achievementId: $a) { id } }`,
      { u: earner.id, a: a.id },
      t,
    );
  }
  // The mentor's progress on all four (one activity of three).
  await org.log({ at: "2026-06-01T10:00:00Z" });
  // The earner's Wrapped, whose story names a badge.
  const earnerToken = await signInPlayer(api, earner.email);
  await api.ok(`{ myAnnualSummary(year: 2026) { id } }`, {}, earnerToken);
  await api.ok(
    `mutation($id: ID!) { updateAchievement(id: $id, isActive: false) { id } }`,
    { id: inactive.id },
    t,
  );
  await api.database.db
    .update(db.organizations)
    .set({ modules: ["achievements-gamification"] })
    .where(eq(db.organizations.id, orgId));
  await api.settle(orgId);

  const key = await api.ok(
    `mutation { createApiKey(name: "backend", permissions: ["read:progress", "ingest:events"]) { secret } }`,
    {},
    t,
  );
  const secrets = [hidden, inactive, gated];
  const rows = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((r) => r.id);
  const secretIds = secrets.map((s) => s.id);
  const awardIds = await rows(
    api.database.db.select().from(db.userAchievements).where(eq(db.userAchievements.organizationId, orgId)),
  );
  const runIds = await rows(
    api.database.db.select().from(db.backfillRuns).where(eq(db.backfillRuns.organizationId, orgId)),
  );
  const summaryIds = await rows(
    api.database.db.select().from(db.annualSummaries).where(eq(db.annualSummaries.organizationId, orgId)),
  );
  const ids: Record<string, string[]> = {
    Achievement: [...secretIds, visible.id],
    AchievementRule: [...secrets.map((s) => s.ruleId), visible.ruleId],
    User: [earner.id, org.mentor.id, player.id],
    UserAchievement: awardIds,
    BackfillRun: runIds,
    AnnualSummary: summaryIds,
    Organization: [orgId],
    Metric: [activities],
    Consumable: [reward.createConsumable.id],
    ActivityType: [org.types.home_visit!],
  };
  return {
    ids,
    visible,
    // What must never show: each definition's id, key, name and description, and its rule's id and name.
    forbidden: secrets.flatMap((s) => [s.id, s.key, s.name, s.description, s.ruleId, s.ruleName]),
    // Names echoed back from an argument are not leaks: error messages may quote an id the caller sent.
    forbiddenInErrors: secrets.flatMap((s) => [s.key, s.name, s.description, s.ruleName]),
    actors: [
      ["peer_mentor", org.token],
      ["player", await signInPlayer(api, player.email)],
      ["api key", { apiKey: key.createApiKey.secret as string }],
    ] as const,
  };
}

type Tenant = Awaited<ReturnType<typeof buildTenant>>;

/** Values an argument is tried with: every id of the type it names; for filters, each field in turn. */
function candidates(
  type: GraphQLInputType,
  name: string,
  field: GraphQLField<unknown, unknown>,
  tenant: Tenant,
) {
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(inner);
  if (named.name === "ID") {
    const ids = tenant.ids[idTarget(name, field)] ?? tenant.ids.User!;
    return isListType(inner) ? [ids] : ids;
  }
  if (isInputObjectType(named)) {
    const values: unknown[] = [{}];
    for (const f of Object.values(named.getFields())) {
      for (const value of candidates(f.type, f.name, field, tenant)) values.push({ [f.name]: value });
    }
    return values;
  }
  if (named.name === "Boolean") return [true, false];
  if (named.name === "Int") return [{ year: 2026, limit: 200, weeks: 12, perPage: 500, page: 0 }[name] ?? 1];
  if (named.name === "String" && name === "q") return ["Name of", "Rule of"];
  return [];
}

/** The variants of a query: its required arguments first, then each argument alone with each value. */
function variants(field: GraphQLField<unknown, unknown>, tenant: Tenant) {
  const args = field.args as readonly GraphQLArgument[];
  const base: Record<string, unknown> = {};
  for (const arg of args) {
    if (isNonNullType(arg.type) && arg.defaultValue === undefined)
      base[arg.name] = candidates(arg.type, arg.name, field, tenant)[0];
  }
  const all = [base];
  for (const arg of args) {
    for (const value of candidates(arg.type, arg.name, field, tenant))
      all.push({ ...base, [arg.name]: value });
  }
  const seen = new Set<string>();
  return all.filter((v) => {
    const k = JSON.stringify(v);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function operationText(field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>) {
  const args = (field.args as readonly GraphQLArgument[]).filter((a) => a.name in variables);
  const head = args.length ? `(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ")})` : "";
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  return `query${head} { ${field.name}${call} ${deepSelection(field.type)} }`;
}

describe("participants and API keys, against every query and nested field", () => {
  it("never read a hidden, inactive or gated achievement, or its rules", { timeout: 300_000 }, async () => {
    const tenant = await buildTenant();
    const schema = await getSchema();
    const fields = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.name !== "health");
    expect(fields.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    let answered = 0;
    let sawVisible = 0;
    for (const [role, auth] of tenant.actors) {
      for (const field of fields) {
        for (const variables of variants(field, tenant)) {
          const result = await api.gql(operationText(field, variables), variables, auth);
          const data = JSON.stringify(result.data ?? null);
          const errors = JSON.stringify(result.errors ?? []);
          const where = `${role} ${field.name}(${JSON.stringify(variables)})`;
          if (result.data) answered += 1;
          if (data.includes(tenant.visible.name)) sawVisible += 1;
          for (const secret of tenant.forbidden)
            if (data.includes(secret)) leaks.push(`${where} read ${secret}`);
          for (const secret of tenant.forbiddenInErrors)
            if (errors.includes(secret)) leaks.push(`${where} read ${secret} in an error`);
          for (const error of result.errors ?? []) {
            if (
              error.extensions?.code === "INTERNAL_SERVER_ERROR" ||
              error.extensions?.code === "GRAPHQL_VALIDATION_FAILED"
            )
              leaks.push(`${where} failed: ${error.message}`);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    // The sweep asked real questions: many answered, and what they may see did show.
    expect(answered).toBeGreaterThan(200);
    expect(sawVisible).toBeGreaterThan(10);
  });
});
