import type { Database, DatabaseHandle } from "@laurel/db";
import { Webhook } from "standardwebhooks";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { AttemptLog } from "./attempt-log.js";
import {
  type Attempt,
  type Claimed,
  claimDeliveries,
  type DisableReason,
  disableEndpoint,
  type HealthChange,
  recordAttempts,
  releaseDeliveries,
  updateHealth,
} from "./deliveries.js";
import { webhookMessageOf } from "./message.js";
import { Loop } from "./loop.js";
import { OUTBOX_CHANNEL } from "./relay.js";
import { retryDelay } from "./retry.js";
import { type WebhookSecrets } from "./secrets.js";
import type { Resolve } from "./ssrf.js";
import { type PostOutcome, WebhookClient } from "./webhook-http.js";

const USER_AGENT = "Laurel-Webhooks/1 (+https://www.standardwebhooks.com)";
/** An endpoint all of whose deliveries have failed for this long is disabled (its admins are told). */
export const FAILING_DISABLE_MS = 3 * 24 * 3_600_000;

export type DispatcherOptions = {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Opens the endpoints' stored signing secrets. */
  secrets: WebhookSecrets;
  /** LAUREL_WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** Name resolution for the SSRF guard (DNS by default). */
  resolve?: Resolve;
  /** One request's time limit, connection to answer. */
  timeoutMs?: number;
  /** Deliveries claimed at once in all (256). */
  batch?: number;
  /** The most claimed at once for one endpoint (64), once it answers well; 8 until then. */
  perEndpoint?: number;
  /** The most posts in flight to one endpoint (16), once it answers well: one at first, doubled by each round of only 2xx. */
  inFlight?: number;
  /**
   * How long a claim holds (by default eight timeouts and a minute); a round starts no post later than a
   * timeout and ten seconds before its lease ends, and hands back what it did not start.
   */
  leaseMs?: number;
  /** How often it looks when nobody kicked it. */
  pollMs?: number;
  /** The retry delays' jitter, in [0, 1). */
  random?: () => number;
  /** The handle's `listen`: wake whenever any process relays outbox rows (the CLI dispatcher, alone in its process). */
  listen?: DatabaseHandle["listen"];
};

/** What a round knows of an endpoint between rounds: how many posts it may have in flight. */
type Health = { window: number };

/** An attempt on its way to the log, with what the endpoint's bookkeeping needs. */
type Entry = Attempt & { endpointId: string; url: string; gone: boolean; tries: number };

/** How one post ended for its endpoint's queue. */
type Step = { ok: boolean; disabled: boolean; down?: PostOutcome };

const FIRST_CLAIM = 8;
const succeeded = (o: PostOutcome) => o.kind === "response" && o.status >= 200 && o.status < 300;

/**
 * Posts webhook deliveries, Standard Webhooks-signed, and keeps their log. Each round claims due
 * deliveries (claimDeliveries: SKIP LOCKED and a lease, so across processes a delivery is posted by one
 * dispatcher at a time, and one killed mid-post leaves it to be taken again once its lease ends: at least
 * once, deduplicable by `webhook-id`), posts each endpoint's in due order, endpoints side by side, and
 * records each attempt: 2xx delivered; anything else retried on the schedule of retry.ts, then failed;
 * 410 Gone disables the endpoint at once, three days of nothing but failures disables it too.
 * An endpoint starts with one post in flight and eight claimed per round; each round of nothing but 2xx
 * doubles what it may have in flight (up to `inFlight`, over keep-alive connections) and claims four times
 * that, anything else takes it back to one, so a failing endpoint is tried one delivery at a time. Retries (attempts > 0) of one endpoint
 * go one after another, in due order. Attempts are written in batches (AttemptLog: one statement for all
 * the attempts that ended while the previous write was under way).
 * Runs in every API process (woken by the relay when it made deliveries) and as `pnpm --filter @laurel/api
 * dispatcher`.
 */
export class Dispatcher {
  private readonly client: WebhookClient;
  private readonly timeoutMs: number;
  private readonly batch: number;
  private readonly perEndpoint: number;
  private readonly inFlight: number;
  private readonly leaseMs: number;
  private readonly health = new Map<string, Health>();
  private readonly log = new AttemptLog<Entry>(
    (batch) => this.write(batch),
    (entry) => entry.endpointId,
  );
  private readonly loop: Loop;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.loop = new Loop(() => this.drain(), {
      name: "The webhook dispatcher",
      logger: options.logger,
      pollMs: options.pollMs ?? 1_000,
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batch = options.batch ?? 256;
    this.perEndpoint = options.perEndpoint ?? 64;
    this.inFlight = options.inFlight ?? 16;
    this.leaseMs = options.leaseMs ?? 8 * this.timeoutMs + 60_000;
    this.client = new WebhookClient({
      allowPrivate: options.allowPrivate,
      resolve: options.resolve,
      timeoutMs: this.timeoutMs,
    });
  }

  async start(): Promise<void> {
    if (this.loop.isRunning) return;
    if (this.options.listen) this.unlisten = await this.options.listen(OUTBOX_CHANNEL, () => this.kick());
    this.loop.start();
  }

  /** Stops looking for work and waits for the posts in hand to be recorded. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.unlisten?.();
    this.unlisten = undefined;
    this.client.close();
  }

  /** Deliveries were just made (the relay) or replayed: look now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** Posts everything due now, round after round, until a round finds nothing; returns how many attempts. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.dispatchOnce();
      if (done === 0) return total;
      total += done;
    }
  }

  /** One round: a claim, then each endpoint's deliveries posted, all recorded. Returns how many were claimed. */
  async dispatchOnce(): Promise<number> {
    const now = this.options.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    // Elapsed time, not the clock (tests hold it still): posts must end before the lease does.
    const margin = this.timeoutMs + 10_000;
    const deadline = performance.now() + Math.max(this.leaseMs - margin, this.leaseMs / 2);
    const claimed = await claimDeliveries(this.options.db, {
      now,
      leaseUntil: lease,
      batch: this.batch,
      perEndpoint: FIRST_CLAIM,
      limits: this.claimLimits(),
    });
    const queues = new Map<string, Claimed[]>();
    for (const delivery of claimed) {
      const queue = queues.get(delivery.endpointId) ?? [];
      queue.push(delivery);
      queues.set(delivery.endpointId, queue);
    }
    try {
      await Promise.all([...queues.values()].map((queue) => this.deliverQueue(queue, lease, deadline)));
    } finally {
      await this.log.idle();
    }
    return claimed.length;
  }

  /** Claim sizes of the endpoints that earned more than the first claim's. */
  private claimLimits(): Record<string, number> {
    const limits: Record<string, number> = {};
    for (const [endpointId, { window }] of this.health) {
      const limit = Math.min(this.perEndpoint, window * 4);
      if (limit > FIRST_CLAIM) limits[endpointId] = limit;
    }
    return limits;
  }

  private healthOf(endpointId: string): Health {
    let health = this.health.get(endpointId);
    if (!health) this.health.set(endpointId, (health = { window: 1 }));
    return health;
  }

  /**
   * One endpoint's claimed deliveries, in due order, up to its window in flight (retries one at a time).
   * When the endpoint does not answer at all (refused, unreachable, timed out) the rest of its queue is
   * recorded with the same failure rather than each waiting for its own timeout; when it was disabled, or
   * the lease is nearly over, the rest go back untried.
   */
  private async deliverQueue(queue: readonly Claimed[], lease: Date, deadline: number): Promise<void> {
    const health = this.healthOf(queue[0]!.endpointId);
    const signers = this.signersFor(queue[0]!);
    const running = new Set<Promise<void>>();
    const recording: Promise<boolean>[] = [];
    let retry: Promise<void> | undefined;
    let disabled = false;
    let failed = false;
    let down: PostOutcome | undefined;
    let error: unknown;
    let next = 0;
    for (; next < queue.length; next++) {
      const delivery = queue[next]!;
      const isRetry = delivery.attempts > 0;
      while (running.size >= health.window || (isRetry && retry && running.has(retry)))
        await Promise.race(running);
      if (disabled || down || error !== undefined || performance.now() > deadline) break;
      const task: Promise<void> = this.attempt(delivery, lease, signers, health, recording)
        .then((step) => {
          failed ||= !step.ok;
          disabled ||= step.disabled;
          down ??= step.down;
        })
        .catch((e: unknown) => {
          error ??= e;
        })
        .finally(() => running.delete(task));
      running.add(task);
      if (isRetry) retry = task;
    }
    await Promise.all(running);
    await Promise.allSettled(recording);
    if (error !== undefined) throw error;
    const rest = queue.slice(next);
    // A round of nothing but 2xx doubles the window for the next.
    if (rest.length === 0 && !failed) health.window = Math.min(this.inFlight, health.window * 2);
    if (down && !disabled) {
      const now = this.options.clock.now();
      await Promise.all(rest.map((d) => this.log.add(this.entryOf(d, lease, down!, now))));
    } else {
      await releaseDeliveries(
        this.options.db,
        rest.map((d) => d.id),
        lease,
      );
    }
  }

  /**
   * Posts one delivery and hands its attempt to the log: a 2xx is not waited for (`recording`), anything
   * else is, since it may have disabled the endpoint.
   */
  private async attempt(
    delivery: Claimed,
    lease: Date,
    signers: Webhook[] | PostOutcome,
    health: Health,
    recording: Promise<boolean>[],
  ): Promise<Step> {
    const now = this.options.clock.now();
    // One at a time, each attempt is recorded before the next post (as a dispatcher killed mid-post finds it).
    const alone = health.window === 1;
    const outcome = Array.isArray(signers) ? await this.post(delivery, now, signers) : signers;
    if (!succeeded(outcome)) health.window = 1;
    const recorded = this.log.add(this.entryOf(delivery, lease, outcome, now));
    if (succeeded(outcome) && !alone) {
      recording.push(recorded);
      return { ok: true, disabled: false };
    }
    return {
      ok: succeeded(outcome),
      disabled: await recorded,
      down: outcome.kind === "failure" ? outcome : undefined,
    };
  }

  /** The endpoint's signers, or the failure every post to it comes to when its secret cannot be opened. */
  private signersFor(delivery: Claimed): Webhook[] | PostOutcome {
    try {
      return this.signingSecrets(delivery, this.options.clock.now()).map((secret) => new Webhook(secret));
    } catch (error) {
      this.options.logger.error("A webhook endpoint's secret cannot be opened", {
        endpointId: delivery.endpointId,
        error: String(error),
      });
      return { kind: "failure", reason: "network", message: String((error as Error).message) };
    }
  }

  /** Signs and posts one delivery. */
  private post(delivery: Claimed, now: Date, signers: readonly Webhook[]): Promise<PostOutcome> {
    const body = JSON.stringify(
      webhookMessageOf({
        id: delivery.outboxId,
        type: delivery.type,
        organizationId: delivery.organizationId,
        occurredAt: delivery.occurredAt,
        payload: delivery.payload,
      }),
    );
    const timestamp = new Date(Math.floor(now.getTime() / 1000) * 1000);
    return this.client.post(delivery.url, body, {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": delivery.outboxId,
      "webhook-timestamp": String(timestamp.getTime() / 1000),
      // Standard Webhooks: several signatures, space-separated; a receiver accepts any it can verify.
      "webhook-signature": signers.map((s) => s.sign(delivery.outboxId, timestamp, body)).join(" "),
    });
  }

  /** The current secret, and the one before a rotation while its overlap lasts. */
  private signingSecrets(delivery: Claimed, now: Date): string[] {
    const { secrets } = this.options;
    const current = secrets.open(delivery.secret, delivery.endpointId);
    const overlapping =
      delivery.previousSecret && delivery.previousSecretUntil && delivery.previousSecretUntil > now;
    return overlapping ? [current, secrets.open(delivery.previousSecret!, delivery.endpointId)] : [current];
  }

  /** The attempt an outcome makes: delivered, due again after the retry delay, or failed for good. */
  private entryOf(delivery: Claimed, lease: Date, outcome: PostOutcome, now: Date): Entry {
    const answer =
      outcome.kind === "response"
        ? { statusCode: outcome.status, response: outcome.body }
        : { statusCode: null, response: outcome.message };
    const base = {
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      url: delivery.url,
      lease,
      at: now,
      tries: delivery.attempts + 1,
      ...answer,
    };
    if (succeeded(outcome)) return { ...base, status: "delivered", next: null, gone: false };
    const gone = outcome.kind === "response" && outcome.status === 410;
    const delay = gone ? undefined : retryDelay(delivery.attempts + 1, this.options.random);
    const next = delay === undefined ? null : new Date(now.getTime() + delay);
    return { ...base, status: next ? "pending" : "failed", next, gone };
  }

  /**
   * Writes a batch of attempts (those whose lease this dispatcher still held), then what they say of
   * their endpoints: healthy again, failing since, disabled (410 at once, or three days of failures).
   * Returns the endpoints disabled.
   */
  private async write(batch: readonly Entry[]): Promise<ReadonlySet<string>> {
    const { db, logger } = this.options;
    const recorded = await recordAttempts(db, batch);
    const kept = batch.filter((e) => recorded.has(e.deliveryId));
    const changes = new Map<string, HealthChange & { lastFailure?: Entry }>();
    const gone = new Map<string, Entry>();
    for (const entry of kept) {
      const change = changes.get(entry.endpointId) ?? {
        endpointId: entry.endpointId,
        reset: false,
        failingAt: null,
      };
      changes.set(entry.endpointId, change);
      if (entry.status === "delivered") {
        Object.assign(change, { reset: true, failingAt: null, lastFailure: undefined });
        continue;
      }
      logger.debug("A webhook delivery failed", {
        deliveryId: entry.deliveryId,
        attempt: entry.tries,
        result: entry.statusCode ?? entry.response,
        next: entry.next?.toISOString() ?? "none: failed",
      });
      if (entry.gone) gone.set(entry.endpointId, entry);
      else {
        change.failingAt ??= entry.at;
        change.lastFailure = entry;
      }
    }
    const failing = await updateHealth(db, [...changes.values()]);
    const disabled = new Set<string>();
    for (const entry of gone.values()) await this.disable(entry, "gone", disabled);
    for (const [endpointId, since] of failing) {
      const last = changes.get(endpointId)?.lastFailure;
      if (last && !gone.has(endpointId) && last.at.getTime() - since.getTime() >= FAILING_DISABLE_MS)
        await this.disable(last, "failing", disabled);
    }
    return disabled;
  }

  private async disable(entry: Entry, reason: DisableReason, disabled: Set<string>): Promise<void> {
    disabled.add(entry.endpointId);
    if (await disableEndpoint(this.options.db, entry.endpointId, reason, entry.at))
      this.options.logger.warn("A webhook endpoint was disabled", {
        endpointId: entry.endpointId,
        url: entry.url,
        reason,
      });
  }
}
