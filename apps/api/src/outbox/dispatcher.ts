import type { Database, DatabaseHandle } from "@laurel/db";
import { Webhook } from "standardwebhooks";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import {
  type Attempt,
  type Claimed,
  claimDeliveries,
  disableEndpoint,
  markFailing,
  markHealthy,
  recordAttempt,
  releaseDeliveries,
} from "./deliveries.js";
import { webhookMessageOf } from "./message.js";
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
  /** Deliveries claimed at once, in all and per endpoint. */
  batch?: number;
  perEndpoint?: number;
  /** How long a claim holds; by default long enough for one endpoint's claimed deliveries all timing out. */
  leaseMs?: number;
  /** How often it looks when nobody kicked it. */
  pollMs?: number;
  /** The retry delays' jitter, in [0, 1). */
  random?: () => number;
  /** The handle's `listen`: wake whenever any process relays outbox rows (the CLI dispatcher, alone in its process). */
  listen?: DatabaseHandle["listen"];
};

/**
 * Posts webhook deliveries, Standard Webhooks-signed, and keeps their log. Each round claims due
 * deliveries (claimDeliveries: SKIP LOCKED and a lease, so across processes a delivery is posted by one
 * dispatcher at a time, and one killed mid-post leaves it to be taken again once its lease ends: at least
 * once, deduplicable by `webhook-id`), posts each endpoint's in order, endpoints side by side, and records
 * each attempt: 2xx delivered; anything else retried on the schedule of retry.ts, then failed; 410 Gone
 * disables the endpoint at once, three days of nothing but failures disables it too.
 * Runs in every API process (woken by the relay when it made deliveries) and as `pnpm --filter @laurel/api
 * dispatcher`.
 */
export class Dispatcher {
  private readonly client: WebhookClient;
  private readonly timeoutMs: number;
  private readonly batch: number;
  private readonly perEndpoint: number;
  private readonly leaseMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.batch = options.batch ?? 32;
    this.perEndpoint = options.perEndpoint ?? 8;
    this.leaseMs = options.leaseMs ?? this.perEndpoint * this.timeoutMs + 60_000;
    this.client = new WebhookClient({
      allowPrivate: options.allowPrivate,
      resolve: options.resolve,
      timeoutMs: this.timeoutMs,
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.options.listen) this.unlisten = await this.options.listen(OUTBOX_CHANNEL, () => this.kick());
    this.loop = this.run();
  }

  /** Stops looking for work and waits for the posts in hand to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
    this.unlisten = undefined;
    this.client.close();
  }

  /** Deliveries were just made (the relay) or replayed: look now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
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

  /** One round: a claim, then each endpoint's deliveries posted in order. Returns how many were claimed. */
  async dispatchOnce(): Promise<number> {
    const now = this.options.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const claimed = await claimDeliveries(this.options.db, {
      now,
      leaseUntil: lease,
      batch: this.batch,
      perEndpoint: this.perEndpoint,
    });
    const queues = new Map<string, Claimed[]>();
    for (const delivery of claimed) {
      const queue = queues.get(delivery.endpointId) ?? [];
      queue.push(delivery);
      queues.set(delivery.endpointId, queue);
    }
    await Promise.all([...queues.values()].map((queue) => this.deliverQueue(queue, lease)));
    return claimed.length;
  }

  /**
   * One endpoint's claimed deliveries, one after another. When the endpoint does not answer at all
   * (refused, unreachable, timed out) the rest of its queue is recorded with the same failure rather than
   * each waiting for its own timeout; when it was disabled, the rest go back untried.
   */
  private async deliverQueue(queue: readonly Claimed[], lease: Date): Promise<void> {
    for (let i = 0; i < queue.length; i++) {
      const delivery = queue[i]!;
      const now = this.options.clock.now();
      const outcome = await this.post(delivery, now);
      const disabled = await this.record(delivery, lease, outcome, now);
      const rest = queue.slice(i + 1);
      if (disabled)
        return releaseDeliveries(
          this.options.db,
          rest.map((d) => d.id),
          lease,
        );
      if (outcome.kind === "failure") {
        for (let j = 0; j < rest.length; j++) {
          if (await this.record(rest[j]!, lease, outcome, now))
            return releaseDeliveries(
              this.options.db,
              rest.slice(j + 1).map((d) => d.id),
              lease,
            );
        }
        return;
      }
    }
  }

  /** Signs and posts one delivery. */
  private async post(delivery: Claimed, now: Date): Promise<PostOutcome> {
    let signers: Webhook[];
    try {
      signers = this.signingSecrets(delivery, now).map((secret) => new Webhook(secret));
    } catch (error) {
      this.options.logger.error("A webhook endpoint's secret cannot be opened", {
        endpointId: delivery.endpointId,
        error: String(error),
      });
      return { kind: "failure", reason: "network", message: String((error as Error).message) };
    }
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

  /** Records an attempt and what follows for the endpoint; true when the endpoint was disabled. */
  private async record(delivery: Claimed, lease: Date, outcome: PostOutcome, now: Date): Promise<boolean> {
    const { db, logger } = this.options;
    const attempt: Attempt =
      outcome.kind === "response"
        ? { at: now, statusCode: outcome.status, response: outcome.body }
        : { at: now, statusCode: null, response: outcome.message };
    if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
      if (await recordAttempt(db, delivery, lease, attempt, { delivered: true }))
        await markHealthy(db, delivery.endpointId);
      return false;
    }
    const gone = outcome.kind === "response" && outcome.status === 410;
    const delay = gone ? undefined : retryDelay(delivery.attempts + 1, this.options.random);
    const next = delay === undefined ? null : new Date(now.getTime() + delay);
    if (!(await recordAttempt(db, delivery, lease, attempt, { delivered: false, next }))) return false;
    logger.debug("A webhook delivery failed", {
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
      result: attempt.statusCode ?? attempt.response,
      next: next?.toISOString() ?? "none: failed",
    });
    if (gone) return this.disable(delivery, "gone", now);
    const failingSince = await markFailing(db, delivery.endpointId, now);
    if (failingSince && now.getTime() - failingSince.getTime() >= FAILING_DISABLE_MS)
      return this.disable(delivery, "failing", now);
    return false;
  }

  private async disable(delivery: Claimed, reason: "gone" | "failing", now: Date): Promise<boolean> {
    const disabled = await disableEndpoint(this.options.db, delivery.endpointId, reason, now);
    if (disabled)
      this.options.logger.warn("A webhook endpoint was disabled", {
        endpointId: delivery.endpointId,
        url: delivery.url,
        reason,
      });
    return true;
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    while (this.running) {
      this.kicked = false;
      try {
        await this.drain();
      } catch (error) {
        this.options.logger.error("The webhook dispatcher failed; it tries again", { error: String(error) });
      }
      if (!this.running || this.kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
