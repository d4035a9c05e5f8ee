import { schema } from "@laurel/db";
import type { AchievementEarned, ProgressChanged } from "@laurel/engine";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Relayed } from "../src/outbox/hub.js";
import { pruneOutbox } from "../src/outbox/prune.js";
import { recordLocked } from "../src/scoring/intake.js";
import { lockUser } from "../src/scoring/locks.js";
import { gameTenant } from "./support/engine.js";
import { waitUntil } from "./support/locks.js";
import { startTestServer, type TestApi } from "./support/server.js";

/**
 * The outbox: what the scoring write tells, in the transaction of the change, and the relay that hands
 * each committed row to its consumers once (webhook deliveries, this process's hub).
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

const { outbox, webhookEndpoints, webhookDeliveries } = schema;
/**
 * What the scoring write told about an organization. Only its types: on a shared PostgreSQL database another
 * file's scheduled job may meanwhile save a player's year-to-date calculation, which tells `advantage.calculated`.
 */
const told = (organizationId: string) =>
  api.database.db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.organizationId, organizationId),
        inArray(outbox.type, ["achievement.earned", "reward.granted", "progress.changed"]),
      ),
    )
    .orderBy(asc(outbox.seq));

async function arena() {
  const game = await gameTenant(api);
  const wins = await game.rule("One win", "wins", "gte", 1, 100);
  const twoWins = await game.rule("Two wins", "wins", "gte", 2, 100);
  const first = await game.achievement({ key: "first_win", name: "First win", ruleIds: [wins], points: 10 });
  const secret = await game.achievement({
    key: "secret_win",
    name: "Secret",
    ruleIds: [wins],
    isHidden: true,
  });
  const second = await game.achievement({ key: "two_wins", name: "Two wins", ruleIds: [twoWins] });
  await api.settle(game.organization.id);
  return {
    game,
    ids: {
      first: first.data.createAchievement.id as string,
      secret: secret.data.createAchievement.id as string,
      second: second.data.createAchievement.id as string,
    },
  };
}

describe("the scoring write tells the outbox", () => {
  it("an award, with its achievement and row, and one progress.changed listing what moved", async () => {
    const { game, ids } = await arena();
    const result = await game.event("match_won", { key: "w1" });
    expect(result.errors).toBeUndefined();
    const rows = await told(game.organization.id);
    const earned = rows.filter((r) => r.type === "achievement.earned");
    expect(earned.map((r) => (r.payload as AchievementEarned).achievement.key).sort()).toEqual([
      "first_win",
      "secret_win",
    ]);
    const award = await api.database.db
      .select()
      .from(schema.userAchievements)
      .where(
        and(
          eq(schema.userAchievements.userId, game.player.id),
          eq(schema.userAchievements.achievementId, ids.first),
        ),
      );
    const first = earned.find((r) => (r.payload as AchievementEarned).achievement.key === "first_win")!;
    expect(first).toMatchObject({ userId: game.player.id, organizationId: game.organization.id });
    expect(first.payload).toMatchObject({
      userId: game.player.id,
      achievement: { id: ids.first, key: "first_win", name: "First win", points: 10, hidden: false },
      periodKey: "all",
      userAchievementId: award[0]!.id,
      triggeringEventId: result.data.recordEvent.event.id,
      grantedById: null,
    });
    expect(
      earned.find((r) => r.payload.achievement && (r.payload as AchievementEarned).achievement.hidden),
    ).toBeDefined();
    const progress = rows.filter((r) => r.type === "progress.changed");
    expect(progress).toHaveLength(1);
    const changes = (progress[0]!.payload as ProgressChanged).changes;
    // Each achievement once: both awards, and half of "Two wins".
    expect(changes.map((c) => c.achievementId).sort()).toEqual([ids.first, ids.secret, ids.second].sort());
    expect(changes.find((c) => c.achievementId === ids.second)).toMatchObject({
      progress: 50,
      completed: false,
    });
    expect(changes.find((c) => c.achievementId === ids.secret)).toMatchObject({
      completed: true,
      hidden: true,
    });
  });

  it("nothing when nothing moved, and nothing again for a replayed key", async () => {
    const { game } = await arena();
    await game.event("match_won", { key: "w1" });
    const before = (await told(game.organization.id)).length;
    expect(before).toBeGreaterThan(0);
    // Losses move no achievement of this tenant's; the replay writes nothing.
    await game.event("match_lost", { key: "l1" });
    await game.event("match_won", { key: "w1" });
    expect((await told(game.organization.id)).length).toBe(before);
  });

  it("a rolled-back transaction leaves no outbox row", async () => {
    const { game } = await arena();
    const tenant = { id: game.organization.id, timeZone: "UTC", modules: ["achievements-gamification"] };
    await expect(
      api.database.db.transaction(async (tx) => {
        await lockUser(tx, game.organization.id, game.player.id);
        const result = await recordLocked(
          tx,
          api.server.services.scoring,
          tenant,
          {
            userId: game.player.id,
            type: "match_won",
            value: null,
            attributes: {},
            occurredAt: null,
            idempotencyKey: "rolled-back",
            source: "admin",
          },
          api.clock.now(),
        );
        expect(result.awards.length).toBe(2);
        const inside = await tx.select().from(outbox).where(eq(outbox.organizationId, game.organization.id));
        expect(inside.length).toBeGreaterThan(0);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await told(game.organization.id)).toEqual([]);
  });
});

describe("the relay", () => {
  it("hands each committed row on once: a delivery per endpoint that takes its type, and the hub hears it", async () => {
    const { game } = await arena();
    const other = await gameTenant(api);
    const { db } = api.database;
    const endpoint = (organizationId: string, eventTypes: string[]) =>
      db
        .insert(webhookEndpoints)
        .values({ organizationId, url: "https://example.test/hook", eventTypes, secret: "x" })
        .returning()
        .then(([e]) => e!);
    const awards = await endpoint(game.organization.id, ["achievement.earned"]);
    const everything = await endpoint(game.organization.id, ["achievement.earned", "progress.changed"]);
    const disabled = await endpoint(game.organization.id, ["achievement.earned"]);
    await db.update(webhookEndpoints).set({ enabled: false }).where(eq(webhookEndpoints.id, disabled.id));
    const stranger = await endpoint(other.organization.id, ["achievement.earned", "progress.changed"]);

    const { hub, relay } = api.server.services.outbox;
    const heard = hub.subscribe((e) => e.organizationId === game.organization.id);
    await relay.start();
    try {
      await game.event("match_won", { key: "r1" });
      const rows = await told(game.organization.id);
      expect(rows.length).toBeGreaterThan(0);
      // Kicked by the write, the relay's loop takes them (or another process's relay does: the same).
      await waitUntil("the relay took the rows", async () => {
        await relay.drain();
        const waiting = await db
          .select()
          .from(schema.outboxPending)
          .where(sql`${schema.outboxPending.id} = any(${`{${rows.map((r) => r.id).join(",")}}`}::uuid[])`);
        return waiting.length === 0;
      });
      const deliveries = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.organizationId, game.organization.id));
      const of = (id: string) =>
        deliveries
          .filter((d) => d.endpointId === id)
          .map((d) => d.eventType)
          .sort();
      expect(of(awards.id)).toEqual(["achievement.earned", "achievement.earned"]);
      expect(of(everything.id)).toEqual(["achievement.earned", "achievement.earned", "progress.changed"]);
      expect(of(disabled.id)).toEqual([]);
      const strangers = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, stranger.id));
      expect(strangers).toEqual([]);
      // Relaying again hands nothing on twice.
      await relay.drain();
      expect(
        (
          await db
            .select({ n: sql<number>`count(*)::int` })
            .from(webhookDeliveries)
            .where(eq(webhookDeliveries.organizationId, game.organization.id))
        )[0]!.n,
      ).toBe(deliveries.length);
      // The hub hears each row once, committed, in outbox order.
      const got: Relayed[] = [];
      for (let i = 0; i < rows.length; i++) got.push((await heard.next()).value as Relayed);
      expect(got.map((e) => e.id)).toEqual(rows.map((r) => r.id));
      expect(got[0]).toMatchObject({ organizationId: game.organization.id, userId: game.player.id });
    } finally {
      await heard.return?.();
      await relay.stop();
    }
  });
});

describe("pruning", () => {
  it("deletes rows past their retention, never one the relay or a delivery still waits on", async () => {
    const { game } = await arena();
    const { db } = api.database;
    const organizationId = game.organization.id;
    const now = new Date("2026-06-15T12:00:00Z");
    const row = async (createdAt: Date, relayed = true) => {
      const [made] = await db
        .insert(outbox)
        .values({ organizationId, type: "progress.changed", payload: {}, occurredAt: now, createdAt })
        .returning();
      if (relayed) await db.delete(schema.outboxPending).where(eq(schema.outboxPending.id, made!.id));
      return made!;
    };
    const old = await row(new Date("2026-05-01T00:00:00Z"));
    const waitedOn = await row(new Date("2026-05-01T00:00:00Z"));
    const recent = await row(new Date("2026-06-10T00:00:00Z"));
    const unrelayed = await row(new Date("2026-05-01T00:00:00Z"), false);
    const [hook] = await db
      .insert(webhookEndpoints)
      .values({
        organizationId,
        url: "https://example.test/hook",
        eventTypes: ["progress.changed"],
        secret: "x",
      })
      .returning();
    await db.insert(webhookDeliveries).values([
      { organizationId, endpointId: hook!.id, outboxId: waitedOn.id, eventType: "progress.changed" },
      {
        organizationId,
        endpointId: hook!.id,
        outboxId: old.id,
        eventType: "progress.changed",
        status: "failed",
      },
    ]);
    expect(await pruneOutbox(db, now)).toBeGreaterThanOrEqual(1);
    const left = new Set((await told(organizationId)).map((r) => r.id));
    expect(left.has(old.id)).toBe(false);
    expect([waitedOn.id, recent.id, unrelayed.id].every((id) => left.has(id))).toBe(true);
    // The old row's finished delivery went with it.
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.outboxId, old.id))).toEqual(
      [],
    );
  });
});
