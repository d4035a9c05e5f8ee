import { type DatabaseHandle, schema } from "@laurel/db";
import type { AchievementEarned, OutboxMessage } from "@laurel/engine";
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxHub, type Relayed } from "../../src/outbox/hub.js";
import { Relay } from "../../src/outbox/relay.js";
import { gameTenant } from "../support/engine.js";
import { unique } from "../support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "../support/server.js";

/**
 * Outbox events out to a real NATS JetStream server (issue 17, item 6): `<prefix>.<organization id>.<type>`,
 * `Nats-Msg-Id` = the outbox id, the stream made if missing. A relay that dies between publishing and
 * committing publishes its rows again; a durable consumer still gets each event once. Each run has its
 * own stream and subjects, deleted at the end; a database of its own, so only this file's rows are relayed.
 */
const natsUrl = process.env.LAUREL_TEST_NATS_URL || "nats://127.0.0.1:4222";
const run = unique();
const out = { stream: `LAUREL_OUT_TEST_${run}`, subjectPrefix: `laurel-test-${run}.out` };

let database: DatabaseHandle;
let api: TestApi;
let nc: NatsConnection | undefined;
let jsm: JetStreamManager;

beforeAll(async () => {
  try {
    nc = await connect({ servers: natsUrl, timeout: 5_000 });
    jsm = await jetstreamManager(nc);
  } catch (error) {
    throw new Error(
      `No NATS server with JetStream at ${natsUrl} (set LAUREL_TEST_NATS_URL): ${String(error)}`,
    );
  }
  database = await openTestDatabase({ own: true });
  api = await startTestServer({
    database,
    env: {
      LAUREL_NATS_URL: natsUrl,
      LAUREL_NATS_OUT_STREAM: out.stream,
      LAUREL_NATS_OUT_SUBJECT_PREFIX: out.subjectPrefix,
    },
  });
});

afterAll(async () => {
  await api?.close();
  await database?.close();
  if (nc) {
    await jsm.streams.delete(out.stream).catch(() => {});
    await nc.close();
  }
});

const { outbox } = schema;

describe("outbox events on NATS", () => {
  it("reach a durable consumer once each, even when a relay that died before committing published them already", async () => {
    const game = await gameTenant(api);
    const wins = await game.rule("One win", "wins", "gte", 1, 100);
    await game.achievement({ key: "first_win", name: "First win", ruleIds: [wins], points: 10 });
    await api.settle(game.organization.id);
    // The stream is made by the first publish: not there yet.
    await expect(jsm.streams.info(out.stream)).rejects.toThrow();
    expect((await game.event("match_won", { key: "w1" })).errors).toBeUndefined();
    const rows = await api.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.organizationId, game.organization.id))
      .orderBy(asc(outbox.seq));
    const earned = rows.find((r) => r.type === "achievement.earned")!;
    expect(earned).toBeDefined();

    const nats = api.server.services.outbox.nats!;
    const { logger } = api.server.services;
    const relayWith = (publish: (events: readonly Relayed[]) => Promise<void>) =>
      new Relay({ db: database.db, listen: database.listen, hub: new OutboxHub(), logger, publish });

    // A relay publishes, then dies before its transaction commits: nothing is marked relayed.
    const firstTime: string[] = [];
    const dying = relayWith(async (events) => {
      await nats.publish(events);
      firstTime.push(...events.map((e) => e.id));
      throw new Error("died between publish and commit");
    });
    await expect(dying.relayOnce()).rejects.toThrow("died between publish and commit");
    expect(firstTime.sort()).toEqual(rows.map((r) => r.id).sort());
    const stillPending = await api.database.db
      .select()
      .from(schema.outboxPending)
      .where(
        inArray(
          schema.outboxPending.id,
          rows.map((r) => r.id),
        ),
      );
    expect(stillPending.length).toBe(rows.length);

    // The next relay takes the same rows and publishes them again, and commits.
    const secondTime: string[] = [];
    const healthy = relayWith(async (events) => {
      await nats.publish(events);
      secondTime.push(...events.map((e) => e.id));
    });
    expect(await healthy.drain()).toBe(rows.length);
    expect(secondTime.sort()).toEqual(firstTime);

    // The stream was made with the subjects, and kept each outbox id once.
    const info = await jsm.streams.info(out.stream);
    expect(info.config.subjects).toEqual([`${out.subjectPrefix}.>`]);
    expect(info.state.messages).toBe(rows.length);

    // A backend's durable consumer of this tenant's awards gets the award once.
    const filter = `${out.subjectPrefix}.${game.organization.id}.achievement.earned`;
    await jsm.consumers.add(out.stream, {
      durable_name: "game-backend",
      filter_subject: filter,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const consumer = await jetstream(nc!).consumers.get(out.stream, "game-backend");
    const msg = await consumer.next({ expires: 5_000 });
    expect(msg).not.toBeNull();
    expect(msg!.subject).toBe(filter);
    expect(msg!.headers?.get("Nats-Msg-Id")).toBe(earned.id);
    const body = msg!.json<OutboxMessage<"achievement.earned">>();
    expect(body).toEqual({
      id: earned.id,
      type: "achievement.earned",
      organizationId: game.organization.id,
      occurredAt: earned.occurredAt.toISOString(),
      data: earned.payload as AchievementEarned,
    });
    expect(body.data).toMatchObject({
      userId: game.player.id,
      achievement: { key: "first_win", points: 10 },
    });
    expect(await msg!.ackAck()).toBe(true);
    const state = await jsm.consumers.info(out.stream, "game-backend");
    expect(state.num_pending).toBe(0);
    expect(state.num_ack_pending).toBe(0);
    expect(state.delivered.consumer_seq).toBe(1);
  });
});
