import { randomBytes } from "node:crypto";
import { type Database, schema } from "@laurel/db";
import { sha256 } from "@laurel/api/lib/password.js";
import { enqueueBackfill, runPendingBackfills } from "@laurel/api/scoring/backfill.js";
import { Scoring } from "@laurel/api/scoring/state.js";
import { createLogger } from "@laurel/api/logger.js";
import { and, eq, isNull, sql } from "drizzle-orm";

const { organizations, users, roles, apiKeys, metricDefinitions, achievementRules, achievements } = schema;

async function roleId(db: Database, key: string): Promise<string> {
  const [row] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.key, key), isNull(roles.organizationId)));
  return row!.id;
}

async function metricIds(db: Database): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: metricDefinitions.id, key: metricDefinitions.key })
    .from(metricDefinitions)
    .where(isNull(metricDefinitions.organizationId));
  return new Map(rows.map((r) => [r.key, r.id]));
}

async function makeUsers(db: Database, organizationId: string, role: string, count: number, prefix: string) {
  const ids: string[] = [];
  const role_ = await roleId(db, role);
  for (let i = 0; i < count; i += 1000) {
    const made = await db
      .insert(users)
      .values(
        Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
          organizationId,
          roleId: role_,
          email: `${prefix}-${i + k}@bench.test`,
          displayName: `${prefix} ${i + k}`,
        })),
      )
      .returning({ id: users.id });
    ids.push(...made.map((m) => m.id));
  }
  return ids;
}

/**
 * Achievements read straight into the tables, as the admin panel would leave them: each one rule on a
 * metric, a coin reward, points. `targets(i)` gives achievement i its metric and target.
 */
async function makeAchievements(
  db: Database,
  organizationId: string,
  count: number,
  targets: (i: number) => { metric: string; target: number },
) {
  const metrics = await metricIds(db);
  const [coin] = await db
    .insert(schema.consumables)
    .values({ organizationId, name: "Coins", type: "currency", value: 1 })
    .returning();
  for (let i = 0; i < count; i += 100) {
    const slice = Array.from({ length: Math.min(100, count - i) }, (_, k) => i + k);
    const rules = await db
      .insert(achievementRules)
      .values(
        slice.map((n) => ({
          organizationId,
          name: `Rule ${n}`,
          metricId: metrics.get(targets(n).metric)!,
          comparator: "gte" as const,
          target: targets(n).target,
          weight: 100,
        })),
      )
      .returning({ id: achievementRules.id });
    const made = await db
      .insert(achievements)
      .values(
        slice.map((n) => ({
          organizationId,
          key: `bench_${n}`,
          name: `Bench badge ${n}`,
          description: `${targets(n).metric} ≥ ${targets(n).target}`,
          category: "competition" as const,
          triggerType: "rules" as const,
          points: 10,
          sortOrder: n,
        })),
      )
      .returning({ id: achievements.id });
    await db
      .insert(schema.achievementRuleLinks)
      .values(made.map((a, k) => ({ achievementId: a.id, ruleId: rules[k]!.id })));
    await db
      .insert(schema.achievementRewards)
      .values(made.map((a) => ({ achievementId: a.id, consumableId: coin!.id, quantity: 5 })));
  }
}

export type Arena = {
  organizationId: string;
  apiKey: string;
  /** Players spread the load of P1: events for many users run in parallel. */
  players: string[];
  /** P2: 100k prior events. */
  veteran: string;
  /** P2: no prior event, one per round. */
  newcomers: string[];
  /** P7: the tenant's admin, who registers the webhook endpoint and subscribes to its events. */
  admin: string;
};

/** The game metrics P1's achievements are spread over, as a real catalog would be. */
const GAME_METRICS = [
  "matches",
  "wins",
  "losses",
  "wins_in_row",
  "total_volume",
  "total_profit",
  "withdrawals",
  "trades_closed",
  "level",
];

/**
 * The tenant of P1, P2 and P5: a trading game with 100 active achievements (90 spread over nine game
 * metrics with targets 1 to 10, so a won match moves 30 of them and crosses three; 10 on deposits, out
 * of reach), its players, an API key, and one player with 100,000 prior deposits whose metrics were
 * computed by Laurel's own recompute.
 */
export async function seedArena(
  db: Database,
  options: { players: number; history: number; rounds: number },
): Promise<Arena> {
  const [org] = await db
    .insert(organizations)
    .values({ name: "Bench Arena", slug: "bench-arena", modules: ["achievements-gamification"] })
    .returning();
  const organizationId = org!.id;
  const players = await makeUsers(db, organizationId, "player", options.players, "player");
  const [veteran, ...newcomers] = await makeUsers(db, organizationId, "player", 1 + options.rounds, "other");
  const [admin] = await makeUsers(db, organizationId, "org_admin", 1, "admin");
  await makeAchievements(db, organizationId, 100, (i) =>
    i < 90
      ? { metric: GAME_METRICS[i % GAME_METRICS.length]!, target: Math.floor(i / GAME_METRICS.length) + 1 }
      : { metric: "deposits", target: 1e9 + i },
  );
  const apiKey = `lrl_${randomBytes(32).toString("base64url")}`;
  await db.insert(apiKeys).values({
    organizationId,
    name: "bench",
    prefix: apiKey.slice(0, 12),
    secretHash: sha256(apiKey),
    permissions: ["ingest:events"],
  });
  // The veteran's history, then Laurel's own recompute of the metrics that read it.
  await db.execute(sql`
    insert into events (organization_id, user_id, type, value, attributes, occurred_at, idempotency_key, payload_hash, source)
    select ${organizationId}::uuid, ${veteran}::uuid, 'deposit', 10, '{}'::jsonb,
           now() - make_interval(mins => g), 'history-' || g, '', 'api_key'
    from generate_series(1, ${options.history}) g`);
  const readers = await db
    .select({ id: metricDefinitions.id })
    .from(metricDefinitions)
    .where(
      and(isNull(metricDefinitions.organizationId), sql`'deposit' = any(${metricDefinitions.eventTypes})`),
    );
  for (const metric of readers) {
    await enqueueBackfill(db, { kind: "metric", metricId: metric.id, organizationId });
  }
  await runPendingBackfills(db, new Scoring(db), { now: () => new Date() }, createLogger("silent", false));
  return { organizationId, apiKey, players, veteran: veteran!, newcomers, admin: admin! };
}

/** P3's tenants: a player each, with some wins, in a catalog of `size` achievements. */
export async function seedCatalog(db: Database, size: number) {
  const [org] = await db
    .insert(organizations)
    .values({ name: `Catalog ${size}`, slug: `catalog-${size}`, modules: ["achievements-gamification"] })
    .returning();
  const [player] = await makeUsers(db, org!.id, "player", 1, `catalog-${size}`);
  await makeAchievements(db, org!.id, size, (i) => ({
    metric: i % 2 ? "wins" : "total_profit",
    target: (i + 1) * 10,
  }));
  return { organizationId: org!.id, player: player! };
}

export type Volunteers = { organizationId: string; mentors: number; activities: number; year: number };

/**
 * P4's tenant: peer mentors with a year of activities each (three types, hours, contacts, spread over
 * the year in the organization's zone), written with one statement per table.
 */
export async function seedVolunteers(
  db: Database,
  options: { mentors: number; perMentor: number; year: number },
): Promise<Volunteers> {
  const [org] = await db
    .insert(organizations)
    .values({
      name: "Bench Helpers",
      slug: "bench-helpers",
      modules: ["achievements-gamification"],
      timeZone: "Europe/Oslo",
    })
    .returning();
  const organizationId = org!.id;
  const types = await db
    .insert(schema.activityTypes)
    .values(
      ["home_visit", "phone_call", "group_session"].map((slug) => ({ organizationId, slug, name: slug })),
    )
    .returning({ id: schema.activityTypes.id });
  const mentorRole = await roleId(db, "peer_mentor");
  await db.execute(sql`
    insert into users (organization_id, role_id, email, display_name)
    select ${organizationId}::uuid, ${mentorRole}::uuid, 'mentor-' || g || '@bench.test', 'Mentor ' || g
    from generate_series(1, ${options.mentors}) g`);
  const typeArray = sql.raw(`array[${types.map((t) => `'${t.id}'`).join(",")}]::uuid[]`);
  await db.execute(sql`
    insert into activities (organization_id, user_id, activity_type_id, occurred_at, duration_minutes, contact_ref)
    select u.organization_id, u.id, (${typeArray})[1 + ((g + abs(hashtext(u.id::text))) % 3)],
           make_timestamptz(${options.year}, 1, 1, 8, 0, 0, 'Europe/Oslo')
             + make_interval(days => (g * 3 + abs(hashtext(u.id::text)) % 7) % 365, mins => (g * 37) % 600),
           15 + (g * 7) % 120, 'contact-' || ((g + abs(hashtext(u.id::text))) % 40)
    from users u cross join generate_series(1, ${options.perMentor}) g
    where u.organization_id = ${organizationId}::uuid`);
  return {
    organizationId,
    mentors: options.mentors,
    activities: options.mentors * options.perMentor,
    year: options.year,
  };
}

export async function countEvents(db: Database, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.events)
    .where(eq(schema.events.organizationId, organizationId));
  return row!.n;
}
