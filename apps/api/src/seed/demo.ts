import { type Database, schema } from "@laurel/db";
import { MODULES, seededRandom, SYSTEM_EVENTS } from "@laurel/engine";
import { count, eq } from "drizzle-orm";
import type { Logger } from "../logger.js";
import { hashPassword } from "../lib/password.js";
import { recordLocked } from "../scoring/intake.js";
import { lockUser } from "../scoring/locks.js";
import { Scoring } from "../scoring/state.js";

const { organizations, roles, users, activityTypes, activities, eventAttendances, advantageParameters } =
  schema;
const {
  achievements,
  achievementRules,
  achievementRuleLinks,
  consumables,
  achievementRewards,
  metricDefinitions,
} = schema;

/** The demo's sign-in details: printed at start and written in the README. */
export const DEMO_ACCOUNTS = {
  globalAdmin: { email: "admin@laurel.local", password: "laurel-admin-demo" },
  volunteerAdmin: { email: "ingrid@helpinghands.demo", password: "helping-hands-admin" },
  coordinator: { email: "kari@helpinghands.demo", password: "helping-hands-coordinator" },
  peerMentors: [
    "ola@helpinghands.demo",
    "sofie@helpinghands.demo",
    "amir@helpinghands.demo",
    "lene@helpinghands.demo",
  ],
  tradingAdmin: { email: "admin@nova-arena.demo", password: "nova-arena-admin" },
  players: ["maja@nova-arena.demo", "leo@nova-arena.demo", "zoe@nova-arena.demo"],
  devCode: "12345",
} as const;

const ACTIVITY_TYPES = [
  { slug: "home_visit", name: "Hjemmebesøk (home visit)", weight: 4 },
  { slug: "phone_call", name: "Telefonsamtale (phone call)", weight: 5 },
  { slug: "walk_and_talk", name: "Gåtur (walk and talk)", weight: 2 },
  { slug: "group_event", name: "Gruppetreff (group meeting)", weight: 1 },
  { slug: "digital_meeting", name: "Digitalt møte (video call)", weight: 2 },
];

/**
 * Loads the demo into an empty database: a volunteer organisation in Oslo with a year and a bit of
 * activities, and a trading game with players and events. Returns false, and changes nothing, when
 * the database already has organizations.
 */
// eslint-disable-next-line max-lines-per-function -- a script of demo data, read top to bottom; each step uses the rows made before it
export async function loadDemo(db: Database, now: Date, logger: Logger): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(organizations);
  if (Number(existing?.n ?? 0) > 0) return false;
  // The demo's history goes through the scoring pipeline as live events would.
  const scoring = new Scoring(db);

  // eslint-disable-next-line max-lines-per-function -- the demo script itself, in one transaction (see loadDemo)
  await db.transaction(async (tx) => {
    const roleRows = await tx.select().from(roles);
    const role = (key: string) => roleRows.find((r) => r.key === key && r.organizationId === null)!.id;
    const metricRows = await tx.select().from(metricDefinitions);
    const metric = (key: string) => metricRows.find((m) => m.key === key && m.organizationId === null)!.id;

    const [volunteer, trading] = await tx
      .insert(organizations)
      .values([
        {
          name: "Helping Hands Oslo",
          slug: "helping-hands",
          modules: [MODULES.gamification, MODULES.certification],
          timeZone: "Europe/Oslo",
          currency: "NOK",
          locale: "nb",
        },
        {
          name: "Nova Trading Arena",
          slug: "nova-arena",
          modules: [MODULES.gamification],
          timeZone: "UTC",
          currency: "USD",
          locale: "en",
        },
      ])
      .returning();

    const globalAdminExists = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, DEMO_ACCOUNTS.globalAdmin.email));
    const staff = [
      ...(globalAdminExists.length
        ? []
        : [{ ...DEMO_ACCOUNTS.globalAdmin, name: "Laurel Admin", org: null, role: "global_admin" }]),
      { ...DEMO_ACCOUNTS.volunteerAdmin, name: "Ingrid Admin", org: volunteer!.id, role: "org_admin" },
      { ...DEMO_ACCOUNTS.coordinator, name: "Kari Koordinator", org: volunteer!.id, role: "coordinator" },
      { ...DEMO_ACCOUNTS.tradingAdmin, name: "Nova Admin", org: trading!.id, role: "org_admin" },
    ];
    for (const person of staff) {
      await tx.insert(users).values({
        email: person.email,
        displayName: person.name,
        organizationId: person.org,
        roleId: role(person.role),
        passwordHash: await hashPassword(person.password),
      });
    }
    const mentorNames = ["Ola Nordmann", "Sofie Berg", "Amir Haddad", "Lene Dahl"];
    const mentors = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.peerMentors.map((email, i) => ({
          email,
          displayName: mentorNames[i]!,
          organizationId: volunteer!.id,
          roleId: role("peer_mentor"),
          locale: "nb",
        })),
      )
      .returning();
    const playerNames = ["Maja Trader", "Leo Rookie", "Zoe Pro"];
    const players = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.players.map((email, i) => ({
          email,
          displayName: playerNames[i]!,
          organizationId: trading!.id,
          roleId: role("player"),
        })),
      )
      .returning();

    const volunteerTenant = { id: volunteer!.id, timeZone: volunteer!.timeZone, modules: volunteer!.modules };
    const tradingTenant = { id: trading!.id, timeZone: trading!.timeZone, modules: trading!.modules };
    const types = await tx
      .insert(activityTypes)
      .values(
        ACTIVITY_TYPES.map((t, i) => ({
          organizationId: volunteer!.id,
          slug: t.slug,
          name: t.name,
          sortOrder: i + 1,
        })),
      )
      .returning();

    const year = now.getUTCFullYear();
    await tx.insert(advantageParameters).values(
      [year - 1, year].map((y) => ({
        organizationId: volunteer!.id,
        year: y,
        hourlyRate: y === year ? 560 : 535,
        currency: "NOK",
        source: `Demo figure: average hourly earnings in Norway, ${y - 1}, rounded`,
        benefitCategories: [
          { key: "travel_savings", label: "Travel savings", basis: "activities" as const, rate: 45 },
          { key: "skill_development", label: "Skill development", basis: "hours" as const, rate: 60 },
          { key: "network_growth", label: "Network growth", basis: "contacts" as const, rate: 150 },
        ],
      })),
    );

    // The seeds' example achievements and reward.
    await tx.insert(achievements).values([
      {
        organizationId: volunteer!.id,
        key: "first_activity",
        name: "Første aktivitet (First activity)",
        description: "Log your first activity: every journey starts with one visit.",
        category: "milestone",
        triggerType: "activity_count",
        triggerThreshold: 1,
        triggerMetricId: metric("activities"),
        points: 10,
        requiresModule: MODULES.gamification,
        sortOrder: 1,
      },
      {
        organizationId: volunteer!.id,
        key: "ten_activities",
        name: "Ti aktiviteter (Ten activities)",
        description: "Ten activities logged: you make a difference, week after week.",
        category: "milestone",
        triggerType: "activity_count",
        triggerThreshold: 10,
        triggerMetricId: metric("activities"),
        points: 25,
        requiresModule: MODULES.gamification,
        sortOrder: 2,
      },
      {
        organizationId: volunteer!.id,
        key: "annual_wrapped",
        name: "Året ditt (Your year, wrapped)",
        description: "Earned once a year when your Wrapped is ready.",
        category: "annual",
        triggerType: "annual_summary",
        points: 50,
        isRepeatable: true,
        repeatPeriod: "yearly",
        requiresModule: MODULES.gamification,
        sortOrder: 10,
      },
    ]);
    const [xpBoost] = await tx
      .insert(consumables)
      .values({
        organizationId: trading!.id,
        name: "50 XP Boost",
        type: "exp",
        value: 50,
        description: "Fifty experience points",
      })
      .returning();
    const rules = await tx
      .insert(achievementRules)
      .values([
        {
          organizationId: trading!.id,
          name: "First Win Rule",
          metricId: metric("wins"),
          comparator: "gte" as const,
          target: 1,
          weight: 100,
        },
        {
          organizationId: trading!.id,
          name: "Ten wins",
          metricId: metric("wins"),
          comparator: "gte" as const,
          target: 10,
          weight: 50,
        },
        {
          organizationId: trading!.id,
          name: "Profit of 500",
          metricId: metric("total_profit"),
          comparator: "gte" as const,
          target: 500,
          weight: 30,
        },
        {
          organizationId: trading!.id,
          name: "100 closed trades",
          metricId: metric("trades_closed"),
          comparator: "gte" as const,
          target: 100,
          weight: 20,
        },
      ])
      .returning();
    const [firstWin, tradingMaster] = await tx
      .insert(achievements)
      .values([
        {
          organizationId: trading!.id,
          key: "first_win",
          name: "First Win",
          description: "Win your first match!",
          category: "competition",
          triggerType: "rules",
          points: 10,
          sortOrder: 1,
        },
        {
          organizationId: trading!.id,
          key: "trading_master",
          name: "Trading Master",
          description: "Ten wins, 500 in profit and 100 closed trades.",
          category: "trading",
          triggerType: "rules",
          points: 100,
          sortOrder: 2,
        },
      ])
      .returning();
    await tx
      .insert(achievementRuleLinks)
      .values([
        { achievementId: firstWin!.id, ruleId: rules[0]!.id },
        ...rules.slice(1).map((r) => ({ achievementId: tradingMaster!.id, ruleId: r.id })),
      ]);
    await tx
      .insert(achievementRewards)
      .values({ achievementId: firstWin!.id, consumableId: xpBoost!.id, quantity: 1 });

    // A year and a bit of activities per peer mentor: some days busy, some quiet, a few contacts met again and again.
    const rand = seededRandom(2024);
    const from = Date.UTC(year - 1, 0, 1);
    const until = now.getTime() - 24 * 3600 * 1000;
    const totalWeight = ACTIVITY_TYPES.reduce((sum, t) => sum + t.weight, 0);
    for (const [i, mentor] of mentors.entries()) {
      const diligence = 0.12 + i * 0.05;
      const contacts = 6 + i * 4;
      const rows: (typeof activities.$inferInsert)[] = [];
      for (let day = from; day < until; day += 24 * 3600 * 1000) {
        if (rand() > diligence) continue;
        const times = rand() < 0.15 ? 2 : 1;
        for (let k = 0; k < times; k++) {
          let pick = rand() * totalWeight;
          const type = ACTIVITY_TYPES.find((t) => (pick -= t.weight) < 0) ?? ACTIVITY_TYPES[0]!;
          rows.push({
            organizationId: volunteer!.id,
            userId: mentor.id,
            activityTypeId: types.find((t) => t.slug === type.slug)!.id,
            occurredAt: new Date(day + (8 + Math.floor(rand() * 10)) * 3600 * 1000 + k * 3600 * 1000),
            durationMinutes: 30 + 15 * Math.floor(rand() * 8),
            contactRef: `contact-${i + 1}-${1 + Math.floor(rand() * contacts)}`,
            notes: null,
            createdById: mentor.id,
          });
        }
      }
      // Through the real intake, in time order: metrics, badges and their dates come out as in life.
      await lockUser(tx, volunteerTenant.id, mentor.id);
      for (const row of rows.sort((x, y) => x.occurredAt!.getTime() - y.occurredAt!.getTime())) {
        const [activity] = await tx.insert(activities).values(row).returning();
        const slug = types.find((t) => t.id === activity!.activityTypeId)!.slug;
        const { event } = await recordLocked(
          tx,
          scoring,
          volunteerTenant,
          {
            userId: mentor.id,
            type: SYSTEM_EVENTS.activityLogged,
            value: activity!.durationMinutes / 60,
            attributes: {
              activity_type: slug,
              ...(activity!.contactRef ? { contact: activity!.contactRef } : {}),
            },
            occurredAt: activity!.occurredAt,
            idempotencyKey: null,
            source: "activity",
          },
          now,
        );
        await tx.update(activities).set({ eventId: event.id }).where(eq(activities.id, activity!.id));
      }
      const gatherings = [3, 6, 9, 11].map((month) => ({
        organizationId: volunteer!.id,
        userId: mentor.id,
        eventRef: `gathering-${year - 1}-${month}`,
        eventName: `Peer mentor gathering ${month}/${year - 1}`,
        attendedAt: new Date(Date.UTC(year - 1, month - 1, 12, 16)),
      }));
      for (const gathering of gatherings.slice(0, 2 + (i % 3))) {
        const [attendance] = await tx.insert(eventAttendances).values(gathering).returning();
        await recordLocked(
          tx,
          scoring,
          volunteerTenant,
          {
            userId: mentor.id,
            type: SYSTEM_EVENTS.eventAttended,
            value: null,
            attributes: { event: attendance!.eventRef },
            occurredAt: attendance!.attendedAt,
            idempotencyKey: `attendance:${attendance!.id}`,
            source: "attendance",
          },
          now,
        );
      }
    }

    // The trading game: Maja sits at 8 wins, 400 profit and 60 closed trades (seed 001's 76%).
    const story: Record<string, { won: number; lost: number; closed: number; profit: number }> = {
      [players[0]!.id]: { won: 8, lost: 3, closed: 60, profit: 400 },
      [players[1]!.id]: { won: 0, lost: 2, closed: 3, profit: -20 },
      [players[2]!.id]: { won: 12, lost: 4, closed: 120, profit: 760 },
    };
    for (const player of players) {
      const plan = story[player.id]!;
      const made: { type: string; value?: number }[] = [
        ...Array.from({ length: plan.lost }, () => ({ type: "match_lost" })),
        ...Array.from({ length: plan.won }, () => ({ type: "match_won" })),
        // A handful of opened positions is enough for the demo's volume metric; every close counts.
        ...Array.from({ length: Math.min(plan.closed, 10) }, () => ({ type: "position_opened", value: 100 })),
        ...Array.from({ length: plan.closed }, () => ({
          type: "position_closed",
          value: plan.profit / plan.closed,
        })),
      ];
      await lockUser(tx, tradingTenant.id, player.id);
      for (const [k, e] of made.entries()) {
        await recordLocked(
          tx,
          scoring,
          tradingTenant,
          {
            userId: player.id,
            type: e.type,
            value: e.value ?? null,
            attributes: {},
            occurredAt: new Date(now.getTime() - (30 - k / 10) * 24 * 3600 * 1000),
            idempotencyKey: `demo-${player.email}-${k}`,
            source: "api_key",
          },
          now,
        );
      }
    }
  });
  logger.info("Loaded the demo data");
  return true;
}
