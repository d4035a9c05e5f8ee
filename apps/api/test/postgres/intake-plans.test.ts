import { type DatabaseHandle, openDatabase, queryPrepared, rowsOf, type Statement } from "@laurel/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "../../src/scoring/intake.js";
import { Scoring } from "../../src/scoring/state.js";
import { READ, WRITE } from "../../src/scoring/statements.js";
import { gameTenant } from "../support/engine.js";
import { builtInRoleId, makeOrganization } from "../support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "../support/server.js";

/**
 * The scoring layer's two fixed statements (scoring/statements.ts) run on PostgreSQL as prepared statements that keep
 * one generic plan per connection (packages/db, `queryPrepared`). That plan is made once, from whatever
 * statistics the tables have then (none at all on a new database, or where autovacuum is off, as on
 * this machine), and serves every batch after: it must find each row by its own key.
 */
let api: TestApi;
beforeAll(async () => {
  // A database of its own: one the earlier suites (or anyone) analyzed would not be "without statistics".
  api = await startTestServer({ database: await openTestDatabase({ own: true }) });
});
afterAll(async () => {
  await api.close();
  await api.database.close();
});

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
};

/**
 * Index scans that use a key's index for part of the key: the user left out of a progress row's or a
 * cell's look-up (which then reads every user's rows of an achievement or metric), or the key left out
 * of an idempotency key's (which reads every event of the organization). Both happened, and made the
 * intake ten times slower under load.
 */
function withoutUser(node: PlanNode, into: string[] = []) {
  const relation = node["Relation Name"];
  const cond = node["Index Cond"];
  if (relation && ["user_achievements", "metric_values"].includes(relation) && cond)
    if (!/\buser_id\b/.test(cond)) into.push(`${relation}: ${cond}`);
  // An idempotency key is looked up by the key, not by reading the organization's events.
  if (node["Index Name"] === "events_org_idempotency_key" && cond && !/idempotency_key/.test(cond))
    into.push(`events: ${cond}`);
  for (const child of node.Plans ?? []) withoutUser(child, into);
  return into;
}

function scans(node: PlanNode, into: { relation: string; how: string }[] = []) {
  if (node["Relation Name"] && /Scan/.test(node["Node Type"])) {
    // A bitmap heap scan reads through the bitmap index scan under it.
    const index =
      node["Index Name"] ?? node.Plans?.find((p) => p["Node Type"] === "Bitmap Index Scan")?.["Index Name"];
    into.push({ relation: node["Relation Name"], how: index ?? node["Node Type"] });
  }
  for (const child of node.Plans ?? []) scans(child, into);
  return into;
}

/** A value of each of a statement's parameters: empty lists, new ids. */
const emptyArgs = (statement: Statement) =>
  Object.values(statement.params).map((p) =>
    p.type === "jsonb"
      ? `'[]'`
      : p.type === "uuid[]"
        ? `'{}'`
        : p.type === "uuid"
          ? "gen_random_uuid()"
          : "null",
  );

/** The generic plan of a statement, as a new connection would make it now. */
async function genericPlan(statement: Statement) {
  return scans(await genericPlanTree(statement));
}

async function genericPlanTree(statement: Statement) {
  const text = statement.text;
  const types = Object.values(statement.params).map((p) => p.type);
  const args = emptyArgs(statement);
  return api.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare laurel_plan_probe (${types.join(", ")}) as ${text}`));
    try {
      const [row] = await rowsOf<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        tx.execute(sql.raw(`explain (format json) execute laurel_plan_probe (${args.join(", ")})`)),
      );
      return row!["QUERY PLAN"][0].Plan;
    } finally {
      await tx.execute(sql.raw("deallocate laurel_plan_probe"));
    }
  });
}

/**
 * The key each table must be read by: its primary or unique key, never a wider index. (Organizations, a
 * few pages here, may be read whole: the plan is remade when PostgreSQL's connections are, within the
 * hour, and when the table is analyzed.)
 */
const KEYS: Record<string, string[]> = {
  users: ["users_pkey", "users_id_org_key"],
  organizations: ["organizations_pkey", "Seq Scan"],
  // By idempotency key; a window's history (a late streak event, a correction) by user, type and time.
  events: ["events_org_idempotency_key", "events_user_type_occurred_idx"],
  metric_values: ["metric_values_pkey"],
  metric_distinct_members: ["metric_distinct_members_pkey"],
  user_achievements: ["user_achievements_user_achievement_period_key"],
};

describe("the intake's prepared statements on PostgreSQL", () => {
  it("read every row by its key in the one plan each keeps, made without statistics", async () => {
    // A tenant big enough for a wrong index to look as good as the key to a planner without statistics:
    // 2,000 players with progress on 20 achievements, written in bulk (nothing analyzes them here).
    const db = api.database.db;
    const org = await makeOrganization(db);
    const role = await builtInRoleId(db, "player");
    await db.execute(sql`
      insert into users (organization_id, role_id, email, display_name)
      select ${org.id}::uuid, ${role}::uuid, 'plans-' || ${org.id}::text || '-' || g || '@example.test', 'Player ' || g
      from generate_series(1, 2000) g`);
    await db.execute(sql`
      insert into achievements (organization_id, key, name, description, category, trigger_type)
      select ${org.id}::uuid, 'plans_' || g, 'Badge ' || g, 'A badge', 'competition', 'rules'
      from generate_series(1, 20) g`);
    await db.execute(sql`
      insert into user_achievements (organization_id, user_id, achievement_id, progress)
      select u.organization_id, u.id, a.id, 10 from users u join achievements a using (organization_id)
      where u.organization_id = ${org.id}::uuid`);
    const write = await genericPlan(WRITE);
    const read = await genericPlan(READ);
    const wide = (found: { relation: string; how: string }[]) =>
      found.filter(({ relation, how }) => KEYS[relation] && !KEYS[relation]!.includes(how));
    expect(wide(write)).toEqual([]);
    expect(wide(read)).toEqual([]);
    // An admin's list of one achievement's rows in a tenant, progress included, has an index too.
    const [list] = await rowsOf<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      db.execute(sql`explain (format json) select * from user_achievements
        where organization_id = ${org.id}::uuid and achievement_id = (
          select id from achievements where organization_id = ${org.id}::uuid limit 1)`),
    );
    expect(scans(list!["QUERY PLAN"][0].Plan)).toContainEqual({
      relation: "user_achievements",
      how: "user_achievements_org_achievement_idx",
    });
    // The look-ups that matter are there: users and progress rows by key.
    expect(write).toContainEqual({ relation: "user_achievements", how: KEYS.user_achievements![0] });
    expect(write.some((s) => s.relation === "users")).toBe(true);
    // Every progress row and metric cell found by its whole key, the user included.
    expect(withoutUser(await genericPlanTree(WRITE))).toEqual([]);
    expect(withoutUser(await genericPlanTree(READ))).toEqual([]);
  });

  it("plan each statement once per connection and reuse it, where PostgreSQL left alone plans afresh each time", async () => {
    const game = await gameTenant(api);
    const rule = await game.rule("Three wins", "wins", "gte", 3, 100);
    await game.achievement({ name: "Hat-trick", ruleIds: [rule], points: 10 });
    // One connection for the intake's statements, so the one asked about is the one that ran them.
    const handle: DatabaseHandle = await openDatabase({ url: api.database.url!, poolSize: 1 });
    const scoring = new Scoring(handle.db);
    try {
      for (let i = 0; i < 8; i++) {
        const result = await ingest(
          scoring,
          game.organization.id,
          {
            userId: game.player.id,
            type: "match_won",
            value: null,
            attributes: {},
            occurredAt: null,
            idempotencyKey: `plans-${i}`,
            source: "api_key",
          },
          new Date(),
        );
        expect(result.awards.length).toBe(i === 2 ? 1 : 0);
      }
      const plans = await queryPrepared<{ statement: string; generic: number; custom: number }>(
        handle.db,
        `select statement, generic_plans::int as generic, custom_plans::int as custom
         from pg_prepared_statements where statement in ($1, $2)`,
        [WRITE.text, READ.text],
      );
      const of = (text: string) => plans.find((p) => p.statement === text);
      expect(of(WRITE.text)).toMatchObject({ generic: 8, custom: 0 });
      expect(of(READ.text)).toMatchObject({ custom: 0 });
      expect(of(READ.text)!.generic).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
    }
  });
});
