import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type DatabaseHandle, schema } from "@laurel/db";
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import type { Logger } from "../../src/logger.js";
import { type EventMessage, ensureStream, publishEvent, startNatsWorker } from "../../src/transport/nats.js";
import { makeOrganization, makeUser, unique } from "../support/factories.js";
import { openTestDatabase } from "../support/server.js";

/**
 * Seed 001's transport against a real NATS JetStream server: events published to a stream, worker
 * processes killed mid-stream, poisoned messages. Each run has its own stream, consumer and subjects,
 * deleted at the end. No NATS server fails the suite, never skips it.
 */
const natsUrl = process.env.LAUREL_TEST_NATS_URL || "nats://127.0.0.1:4222";
const run = unique();
const config = {
  stream: `LAUREL_TEST_${run}`,
  consumer: `laurel-test-${run}`,
  subjectPrefix: `laurel-test-${run}.events`,
  // Short, so the messages a killed worker held come back within the test.
  ackWaitMs: 4_000,
};
const apiDir = fileURLToPath(new URL("../..", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let db: DatabaseHandle;
let nc: NatsConnection | undefined;
let jsm: JetStreamManager;
let js: JetStreamClient;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  try {
    nc = await connect({ servers: natsUrl, timeout: 5_000 });
    jsm = await jetstreamManager(nc);
  } catch (error) {
    throw new Error(
      `No NATS server with JetStream at ${natsUrl} (set LAUREL_TEST_NATS_URL): ${String(error)}`,
    );
  }
  js = jetstream(nc);
  await ensureStream(jsm, config);
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  if (nc) {
    await jsm.streams.delete(config.stream).catch(() => {});
    await nc.close();
  }
  await db?.close();
});

function startWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "worker"], {
    cwd: apiDir,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      LAUREL_TOKEN_SECRET: "nats-test-secret-that-is-long-enough-0123",
      LAUREL_NATS_URL: natsUrl,
      LAUREL_NATS_STREAM: config.stream,
      LAUREL_NATS_CONSUMER: config.consumer,
      LAUREL_NATS_SUBJECT_PREFIX: config.subjectPrefix,
      LAUREL_NATS_CONCURRENCY: "16",
      LAUREL_LOG_LEVEL: "warn",
    },
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  children.push(child);
  return { child, output: () => output };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill(signal);
  return exited;
}

async function waitUntil(what: string | (() => string), test: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting until ${typeof what === "string" ? what : what()}`);
    await sleep(50);
  }
}

async function wonEvents(organizationId: string) {
  const [row] = await db.db
    .select({
      n: sql<number>`count(*)::int`,
      keys: sql<number>`count(distinct ${schema.events.idempotencyKey})::int`,
    })
    .from(schema.events)
    .where(and(eq(schema.events.organizationId, organizationId), eq(schema.events.type, "match_won")));
  return row!;
}

/** Nothing left to deliver or acknowledge, and the events table has stopped moving. */
async function drained(organizationId: string) {
  let counts = {};
  await waitUntil(
    () => `the consumer has nothing pending: ${JSON.stringify(counts)}`,
    async () => {
      const { num_pending, num_ack_pending, num_redelivered } = await jsm.consumers.info(
        config.stream,
        config.consumer,
      );
      counts = { num_pending, num_ack_pending, num_redelivered };
      return num_pending === 0 && num_ack_pending === 0;
    },
  );
  let last = -1;
  await waitUntil("the event count is stable", async () => {
    const { n } = await wonEvents(organizationId);
    if (n === last) return true;
    last = n;
    await sleep(500);
    return false;
  });
}

const player = (organizationId: string) =>
  makeUser(db.db, { organizationId, role: "player", password: false });

describe("events over NATS JetStream", () => {
  it("a worker killed with SIGKILL mid-stream, three times, loses and doubles nothing", async () => {
    const org = await makeOrganization(db.db);
    const players = [];
    for (let i = 0; i < 20; i++) players.push(await player(org.id));
    const [wins] = await db.db
      .select()
      .from(schema.metricDefinitions)
      .where(and(eq(schema.metricDefinitions.key, "wins"), isNull(schema.metricDefinitions.organizationId)));

    // 3000 wins, 150 per player: a third keyed in the body, a third by their Nats-Msg-Id only, a third
    // by nothing (the stream sequence keys them).
    const messages: { body: EventMessage; msgId?: string }[] = [];
    for (let i = 0; i < 3000; i++) {
      const body: EventMessage = { userId: players[i % 20]!.id, type: "match_won" };
      if (i % 3 === 0) messages.push({ body: { ...body, idempotencyKey: `win-${i}` }, msgId: `first-${i}` });
      else if (i % 3 === 1) messages.push({ body, msgId: `msg-${run}-${i}` });
      else messages.push({ body });
    }
    // A publisher's retries after the duplicate window: the same key, another message id.
    const retries = messages
      .filter((m) => m.body.idempotencyKey)
      .slice(0, 100)
      .map((m) => ({ body: m.body, msgId: `retry-${m.msgId}` }));
    const all = [...messages, ...retries];
    for (let i = 0; i < all.length; i += 250) {
      await Promise.all(
        all.slice(i, i + 250).map((m) => publishEvent(js, org.id, m.body, m.msgId, config.subjectPrefix)),
      );
    }
    // A retry within the window, with the same message id: JetStream drops it itself.
    const again = await publishEvent(js, org.id, messages[1]!.body, messages[1]!.msgId, config.subjectPrefix);
    expect(again.duplicate).toBe(true);

    const outputs: (() => string)[] = [];
    for (const killAt of [300, 1000, 1700]) {
      const worker = startWorker();
      outputs.push(worker.output);
      await waitUntil(`${killAt} events are in`, async () => {
        if (worker.child.exitCode !== null) throw new Error(`The worker exited:\n${worker.output()}`);
        return (await wonEvents(org.id)).n >= killAt;
      });
      await stop(worker.child, "SIGKILL");
    }
    expect((await wonEvents(org.id)).n).toBeLessThan(3000);

    const last = startWorker();
    outputs.push(last.output);
    await drained(org.id);
    expect(await stop(last.child, "SIGTERM")).toBe(0);

    const { n, keys } = await wonEvents(org.id);
    expect(n).toBe(3000);
    expect(keys).toBe(3000);
    const rows = await db.db
      .select({ userId: schema.events.userId, key: schema.events.idempotencyKey })
      .from(schema.events)
      .where(and(eq(schema.events.organizationId, org.id), eq(schema.events.type, "match_won")));
    const expectedKeys = messages.map((m) => m.body.idempotencyKey ?? m.msgId).filter(Boolean);
    const stored = new Set(rows.map((r) => r.key));
    expect(expectedKeys.filter((k) => !stored.has(k!))).toEqual([]);
    expect(rows.filter((r) => r.key?.startsWith(`nats:${config.stream}:`))).toHaveLength(1000);

    const values = await db.db
      .select({ userId: schema.metricValues.userId, value: schema.metricValues.value })
      .from(schema.metricValues)
      .where(
        and(
          eq(schema.metricValues.organizationId, org.id),
          eq(schema.metricValues.metricId, wins!.id),
          eq(schema.metricValues.windowKey, "all"),
        ),
      );
    expect(values).toHaveLength(20);
    expect(values.filter((v) => v.value !== 150)).toEqual([]);
    for (const p of players) expect(rows.filter((r) => r.userId === p.id)).toHaveLength(150);

    // Every message acknowledged (the stream is a work queue), none refused or failed on the way.
    expect((await jsm.streams.info(config.stream)).state.messages).toBe(0);
    const logs = outputs.map((o) => o()).join("");
    expect(logs).not.toMatch(/Event (refused|failed)/);
  });

  it("poisoned messages are terminated with their reason, write nothing and do not hold back the rest", async () => {
    const org = await makeOrganization(db.db);
    const other = await makeOrganization(db.db);
    const alice = await player(org.id);
    const stranger = await player(other.id);
    const logs: { level: string; message: string; details?: Record<string, unknown> }[] = [];
    const at = (level: string) => (message: string, details?: Record<string, unknown>) =>
      logs.push({ level, message, details });
    const logger: Logger = { debug: () => {}, info: at("info"), warn: at("warn"), error: at("error") };
    const worker = await startNatsWorker({
      db: db.db,
      url: natsUrl,
      ...config,
      logger,
      clock: systemClock,
      concurrency: 4,
    });
    try {
      const subject = `${config.subjectPrefix}.${org.id}`;
      const win = { userId: alice.id, type: "match_won" };
      // The first use of a key; a different event under it later is refused.
      await publishEvent(js, org.id, { ...win, idempotencyKey: "taken" }, undefined, config.subjectPrefix);
      await waitUntil("the first event is in", async () => (await wonEvents(org.id)).n === 1);

      const enc = (s: string) => new TextEncoder().encode(s);
      await js.publish(subject, enc("{ not json"));
      await js.publish(`${config.subjectPrefix}.not-an-organization`, enc(JSON.stringify(win)));
      await js.publish(`${config.subjectPrefix}.${randomUUID()}`, enc(JSON.stringify(win)));
      // A message id standing in for the key follows the key's rule.
      await publishEvent(js, org.id, win, "m".repeat(300), config.subjectPrefix);
      const poisons: EventMessage[] = [
        { userId: randomUUID(), type: "match_won" },
        { userId: stranger.id, type: "match_won" },
        { userId: alice.id, type: "Match Won!" },
        { userId: alice.id, type: "activity_logged" },
        { ...win, value: "three" as unknown as number },
        { ...win, occurredAt: "yesterday" },
        { ...win, attributes: { note: "nul \u0000 inside" } },
        { ...win, value: 5, idempotencyKey: "taken" },
      ];
      for (const p of poisons) await publishEvent(js, org.id, p, undefined, config.subjectPrefix);
      for (let i = 0; i < 40; i++) {
        await publishEvent(
          js,
          org.id,
          { ...win, idempotencyKey: `after-${i}` },
          undefined,
          config.subjectPrefix,
        );
      }

      await drained(org.id);
      expect((await wonEvents(org.id)).n).toBe(41);
      expect((await wonEvents(other.id)).n).toBe(0);
      const refused = logs.filter((l) => l.message.startsWith("Event refused"));
      expect(refused).toHaveLength(4 + poisons.length);
      const reasons = refused.map((l) => String(l.details?.reason)).join("\n");
      for (const reason of [
        "not JSON",
        "organization id",
        "Organization",
        "User",
        "another organization",
        "event_type_format",
        "reserved",
        "value",
        "occurredAt",
        "different event",
        "attributes_format",
        "idempotency_key_format",
      ]) {
        expect(reasons).toContain(reason);
      }
      // Terminated, not retried: nothing comes back after the ack wait.
      await sleep(config.ackWaitMs + 500);
      expect(logs.filter((l) => l.message.startsWith("Event refused"))).toHaveLength(refused.length);
      expect(logs.filter((l) => l.level === "error")).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});
