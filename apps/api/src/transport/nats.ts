// Seed 001's transport: a tenant's backend publishes an event to NATS JetStream, a worker takes it through
// the same intake as the `recordEvent` mutation. At-least-once delivery plus the intake's idempotency make
// each event count exactly once, whatever is redelivered or retried.
// The intake's modules carry type-graphql's decorators: their metadata polyfill first, as in app.ts.
import "reflect-metadata";
import { type Database, schema } from "@laurel/db";
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
  jetstream,
  jetstreamManager,
  type PubAck,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "../clock.js";
import { Conflict, Forbidden, invalid, NotFound, ValidationFailed } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Tenant } from "../scoring/model.js";
import { newEventOf, recordSchema } from "../modules/event/event.service.js";
import { ingest } from "../scoring/intake.js";
import { Scoring } from "../scoring/state.js";
import { parseInput } from "../validation.js";

const { organizations, users } = schema;

export const NATS_DEFAULTS = {
  stream: "LAUREL_EVENTS",
  consumer: "laurel-intake",
  subjectPrefix: "laurel.events",
  /** A publisher's retries with one `Nats-Msg-Id` within this window are dropped by JetStream itself. */
  duplicateWindowMs: 2 * 60_000,
  /** An unacknowledged message is delivered again after this: a worker that died loses nothing. */
  ackWaitMs: 30_000,
  /** Messages delivered and not yet acknowledged, over all the workers sharing the consumer. */
  maxAckPending: 1_000,
};

export type NatsConfig = Partial<typeof NATS_DEFAULTS>;

/** What a publisher sends on `<prefix>.<organizationId>`: the arguments of the `recordEvent` mutation. */
export type EventMessage = {
  userId: string;
  type: string;
  value?: number | null;
  attributes?: Record<string, string | number | boolean> | null;
  /** An ISO 8601 date-time; absent means when the worker takes the event. */
  occurredAt?: string | Date | null;
  idempotencyKey?: string | null;
};

const notFound = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

/**
 * Creates the stream and the durable pull consumer unless they exist; an existing one is left as its
 * operator tuned it. Safe when several workers start together: JetStream accepts an identical create.
 */
export async function ensureStream(jsm: JetStreamManager, config: NatsConfig = {}): Promise<void> {
  const c = { ...NATS_DEFAULTS, ...config };
  const subject = `${c.subjectPrefix}.>`;
  try {
    const info = await jsm.streams.info(c.stream);
    if (!info.config.subjects?.includes(subject)) {
      throw new Error(
        `NATS stream ${c.stream} exists without the subject ${subject}: add it, or choose another stream`,
      );
    }
  } catch (error) {
    if (!notFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({
      name: c.stream,
      subjects: [subject],
      // A queue of work: a message leaves the stream once the intake has acknowledged (or refused) it.
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(c.duplicateWindowMs),
    });
  }
  try {
    await jsm.consumers.info(c.stream, c.consumer);
  } catch (error) {
    if (!notFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(c.stream, {
      durable_name: c.consumer,
      filter_subject: subject,
      deliver_policy: DeliverPolicy.All,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(c.ackWaitMs),
      max_ack_pending: c.maxAckPending,
    });
  }
}

/** Publishes one event for a user of an organization; `msgId` lets JetStream drop a retried publish. */
export function publishEvent(
  js: JetStreamClient,
  organizationId: string,
  body: EventMessage,
  msgId?: string,
  subjectPrefix = NATS_DEFAULTS.subjectPrefix,
): Promise<PubAck> {
  return js.publish(
    `${subjectPrefix}.${organizationId}`,
    JSON.stringify(body),
    msgId ? { msgID: msgId } : {},
  );
}

const organizationId = z.string().uuid();

/** The organization named by the subject, its zone and modules, with the user checked to be an active member. */
async function tenantFor(db: Database, orgId: string, userId: string): Promise<Tenant> {
  const [row] = await db
    .select({
      id: organizations.id,
      timeZone: organizations.timeZone,
      modules: organizations.modules,
      userOrganizationId: users.organizationId,
      userActive: users.isActive,
    })
    .from(organizations)
    .leftJoin(users, eq(users.id, userId))
    .where(eq(organizations.id, orgId));
  if (!row) throw new NotFound("Organization", orgId);
  if (!row.userOrganizationId) throw new NotFound("User", userId);
  if (row.userOrganizationId !== orgId) throw new Forbidden("The user is in another organization");
  if (!row.userActive) throw new Forbidden("The user is deactivated");
  return { id: row.id, timeZone: row.timeZone, modules: row.modules };
}

/**
 * One message through the intake. The idempotency key is the publisher's, else the message id it
 * published with, else the message's place in the stream: a redelivery always carries the same key.
 */
async function takeMessage(scoring: Scoring, msg: JsMsg, subjectPrefix: string, now: Date) {
  const orgId = msg.subject.slice(subjectPrefix.length + 1);
  if (!organizationId.safeParse(orgId).success) {
    throw invalid("subject", "subject_organization", `Publish on ${subjectPrefix}.<organization id>`);
  }
  let body: unknown;
  try {
    body = msg.json();
  } catch {
    throw invalid("body", "body_json", "The message body is not JSON");
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const fields = body as Record<string, unknown>;
    const msgId = msg.headers?.get("Nats-Msg-Id"); // "" when absent
    body = {
      ...fields,
      // The mutation gets a Date from its DateTime scalar; here it is the string the publisher wrote.
      // (Not a date: left a string, and refused as one.)
      ...(typeof fields.occurredAt === "string" && !Number.isNaN(Date.parse(fields.occurredAt))
        ? { occurredAt: new Date(fields.occurredAt) }
        : {}),
      // No key of its own: the message id stands in, checked by the same rule.
      ...((fields.idempotencyKey ?? null) === null && msgId ? { idempotencyKey: msgId } : {}),
    };
  }
  const input = parseInput(recordSchema(now), body);
  const tenant = await tenantFor(scoring.db, orgId, input.userId);
  const key = `nats:${msg.info.stream}:${msg.info.streamSequence}`;
  return ingest(scoring, tenant.id, newEventOf(input, "api_key", key), now);
}

/** PostgreSQL's own error under the query builder's, if any: its SQLSTATE and message. */
function pgError(error: unknown): { code: string; message: string } | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, message: String(message) };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Errors that no retry can fix: the client errors of the mutation, and data the database refuses
 * (class 22, a value it cannot store). Anything else (the database down) is retried.
 */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof ValidationFailed ||
    error instanceof NotFound ||
    error instanceof Forbidden ||
    error instanceof Conflict ||
    pgError(error)?.code.startsWith("22") === true
  );
}

/** What went wrong, in a line: PostgreSQL's words rather than the failed statement's text. */
function reasonOf(error: unknown): string {
  const pg = pgError(error);
  if (pg) return `${pg.code} ${pg.message}`;
  return error instanceof Error ? error.message : String(error);
}

export type NatsWorkerOptions = {
  db: Database;
  /** The process's scoring state; a fresh one on `db` when absent. */
  scoring?: Scoring;
  /** One server or several, comma-separated. */
  url: string;
  stream?: string;
  consumer?: string;
  subjectPrefix?: string;
  logger: Logger;
  clock: Clock;
  /** Messages taken at once: different users run in parallel, the intake serialises each user. */
  concurrency?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What taking one message needs: the intake's state, the subjects' prefix, the time, the log. */
type Taker = { scoring: Scoring; subjectPrefix: string; clock: Clock; logger: Logger; ackWaitMs: number };

/**
 * Takes events from the durable consumer until stopped, at most `concurrency` at a time: it fetches only
 * as many messages as it has free slots, so nothing waits unprocessed while its ack timer runs.
 * Any number of workers may share the consumer. `stop()` takes nothing more, hands back what it
 * fetched but did not start, finishes what it started, and closes the connection.
 */
export async function startNatsWorker(options: NatsWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const { logger } = options;
  const scoring = options.scoring ?? new Scoring(options.db);
  const subjectPrefix = options.subjectPrefix ?? NATS_DEFAULTS.subjectPrefix;
  const concurrency = options.concurrency ?? 16;
  const { nc, consumer, ackWaitMs } = await openConsumer(options, subjectPrefix);
  const taker: Taker = { scoring, subjectPrefix, clock: options.clock, logger, ackWaitMs };

  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let batch: ConsumerMessages | undefined;
  let wake: () => void = () => {};

  const loop = (async () => {
    let pause = 1000;
    while (!stopping) {
      if (inFlight.size >= concurrency) {
        await Promise.race(inFlight);
        continue;
      }
      try {
        batch = await consumer.fetch({ max_messages: concurrency - inFlight.size, expires: 10_000 });
        if (stopping) await batch.close();
        for await (const msg of batch) {
          if (stopping) {
            msg.nak(); // another worker takes it now, not after the ack wait
            continue;
          }
          const task = handleMessage(taker, msg)
            .catch((error) => logger.error("NATS acknowledgement failed", { error: String(error) }))
            .finally(() => inFlight.delete(task));
          inFlight.add(task);
        }
        pause = 1000;
      } catch (error) {
        if (stopping) break;
        logger.warn("NATS fetch failed; trying again", { error: String(error), retryInMs: pause });
        await Promise.race([sleep(pause), new Promise<void>((r) => (wake = r))]);
        pause = Math.min(pause * 2, 30_000);
      }
    }
  })();

  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        wake();
        await batch?.close();
        await loop;
        await Promise.allSettled(inFlight);
        // Drain flushes the acknowledgements still in the client's buffer before closing.
        await nc.drain().catch(() => nc.close());
      })()),
  };
}

/** Connects, makes the stream and the consumer unless they exist, and reads the consumer's ack wait. */
async function openConsumer(options: NatsWorkerOptions, subjectPrefix: string) {
  const stream = options.stream ?? NATS_DEFAULTS.stream;
  const consumerName = options.consumer ?? NATS_DEFAULTS.consumer;
  const nc = await connect({
    servers: options.url.split(",").map((s) => s.trim()),
    name: "laurel-worker",
    maxReconnectAttempts: -1,
  });
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, { stream, consumer: consumerName, subjectPrefix });
  const consumer = await jetstream(nc).consumers.get(stream, consumerName);
  const ackWaitMs = ((await consumer.info()).config.ack_wait ?? nanos(NATS_DEFAULTS.ackWaitMs)) / 1e6;
  return { nc, consumer, ackWaitMs };
}

/**
 * One message taken and settled: acknowledged once the intake has it, terminated when no retry can
 * help, otherwise handed back to be delivered again later, waiting longer each time.
 */
async function handleMessage(taker: Taker, msg: JsMsg): Promise<void> {
  const { logger } = taker;
  // A long wait on a busy user's lock must not look like a dead worker.
  const keepAlive = setInterval(() => msg.working(), Math.max(1000, taker.ackWaitMs / 3));
  const where = { subject: msg.subject, seq: msg.info.streamSequence, delivery: msg.info.deliveryCount };
  try {
    const result = await takeMessage(taker.scoring, msg, taker.subjectPrefix, taker.clock.now());
    msg.ack();
    logger.debug("Event taken from NATS", {
      ...where,
      eventId: result.event.id,
      replayed: result.replayed,
    });
  } catch (error) {
    if (isPermanent(error)) {
      const reason = reasonOf(error);
      logger.warn("Event refused: terminated, never redelivered", { ...where, reason });
      // The reason goes to the log, not to term(): a NATS 2.9 server does not read `+TERM <reason>`
      // and would keep the message pending.
      msg.term();
    } else {
      const delay = Math.min(60_000, 1000 * 2 ** Math.min(msg.info.deliveryCount - 1, 6));
      logger.error("Event failed: delivered again later", {
        ...where,
        retryInMs: delay,
        error: reasonOf(error),
      });
      msg.nak(delay);
    }
  } finally {
    clearInterval(keepAlive);
  }
}
