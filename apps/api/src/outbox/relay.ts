import { type Database, type DatabaseHandle, type Executor, idArray, rowsOf } from "@laurel/db";
import { type OutboxType } from "@laurel/engine";
import { sql } from "drizzle-orm";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { OutboxHub, Relayed } from "./hub.js";
import { Loop } from "./loop.js";

/** The channel the relay announces relayed outbox rows on (their ids), to every process's hub. */
export const OUTBOX_CHANNEL = "laurel_outbox";
/** Ids per NOTIFY: well under PostgreSQL's 8000-byte payload. */
const IDS_PER_NOTIFY = 150;

type Row = {
  id: string;
  seq: string | number;
  organization_id: string;
  user_id: string | null;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: string | Date;
};

const relayedOf = (row: Row): Relayed => ({
  id: row.id,
  seq: Number(row.seq),
  organizationId: row.organization_id,
  userId: row.user_id,
  type: row.type as OutboxType,
  occurredAt: new Date(row.occurred_at).toISOString(),
  data: row.payload as never,
});

export type RelayOptions = {
  db: Database;
  /** The handle's `listen`: every process's hub hears what any process relayed. */
  listen: DatabaseHandle["listen"];
  hub: OutboxHub;
  logger: Logger;
  /** The time deliveries fall due (the dispatcher's clock, so tests that move it move both). */
  clock?: Clock;
  /** Also published elsewhere (NATS), before the rows are marked relayed: at least once, by outbox id. */
  publish?: (events: readonly Relayed[]) => Promise<void>;
  /** Called after a batch that made webhook or email deliveries committed: their senders can go. */
  onDeliveries?: () => void;
  /** How often it looks when nobody kicked it. */
  pollMs?: number;
  /** After a kick, how long it waits for more rows before relaying (50 ms). */
  gatherMs?: number;
  batch?: number;
};

/**
 * Hands committed outbox rows to their consumers, each row once across every process (claimed with
 * `FOR UPDATE SKIP LOCKED`): a webhook delivery per enabled endpoint that takes its type, an email
 * where the organization sends them and the person has not opted out, NATS when configured, and a
 * NOTIFY that every process's hub turns into live subscription messages. It wakes when this process
 * wrote to the outbox (`kick`) and every `pollMs` for what other processes wrote.
 */
export class Relay {
  private readonly loop: Loop;
  private unlisten: (() => Promise<void>) | undefined;
  private turns: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RelayOptions) {
    // Kicked: a moment for more writes to commit, so one relay transaction takes many rows.
    this.loop = new Loop(() => this.drain(), {
      name: "The outbox relay",
      logger: options.logger,
      pollMs: options.pollMs ?? 500,
      gatherMs: options.gatherMs ?? 50,
    });
  }

  async start(): Promise<void> {
    if (this.loop.isRunning) return;
    this.unlisten = await this.options.listen(OUTBOX_CHANNEL, (payload) => {
      this.announce(payload).catch((error: unknown) =>
        this.options.logger.error("Relayed outbox events could not be read", { error: String(error) }),
      );
    });
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Something was written to the outbox here: relay it now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Relays what is waiting, batch by batch; returns how many rows. This process's drains take turns (the
   * loop's and a caller's): one that started while another held rows would skip them and return before
   * they committed, and its caller would think them relayed.
   */
  drain(): Promise<number> {
    const turn = this.turns.then(() => this.drainNow());
    this.turns = turn.catch(() => {});
    return turn;
  }

  private async drainNow(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayOnce();
      total += relayed;
      if (relayed < (this.options.batch ?? 500)) return total;
    }
  }

  /**
   * One batch in one transaction: claimed (taken off `outbox_pending`), fanned out, published and
   * announced. Outbox rows themselves are never rewritten, and their payloads read only for NATS.
   */
  async relayOnce(): Promise<number> {
    const { db, publish } = this.options;
    const limit = this.options.batch ?? 500;
    const result = await db.transaction(async (tx) => {
      const claimed = await rowsOf<{ id: string }>(
        tx.execute(sql`
          delete from "outbox_pending" where seq in (
            select seq from "outbox_pending" order by seq limit ${limit} for update skip locked)
          returning id`),
      );
      if (claimed.length === 0) return { count: 0, deliveries: false };
      const ids = claimed.map((r) => r.id);
      const idList = sql`${idArray(ids)}::uuid[]`;
      const due = (this.options.clock?.now() ?? new Date()).toISOString();
      const hooks = await rowsOf(
        tx.execute(sql`
          insert into "webhook_deliveries" (organization_id, endpoint_id, outbox_id, event_type, next_attempt_at)
          select o.organization_id, e.id, o.id, o.type, ${due}::timestamptz
          from "outbox" o
          join "webhook_endpoints" e
            on e.organization_id = o.organization_id and e.enabled and o.type = any(e.event_types)
          where o.id = any(${idList})
          on conflict do nothing
          returning 1`),
      );
      const mails = await rowsOf(
        tx.execute(sql`
          insert into "email_deliveries" (organization_id, user_id, outbox_id, next_attempt_at)
          select o.organization_id, u.id, o.id, ${due}::timestamptz
          from "outbox" o
          join "organizations" org on org.id = o.organization_id
          join "users" u on u.id = o.user_id and u.organization_id = o.organization_id
          where o.id = any(${idList}) and u.is_active and not u.email_opt_out
            and ((o.type = 'achievement.earned' and org.email_awards)
                 or (o.type = 'summary.ready' and org.email_summaries))
          on conflict do nothing
          returning 1`),
      );
      if (publish) await publish(await this.read(tx, ids));
      for (let i = 0; i < ids.length; i += IDS_PER_NOTIFY)
        await tx.execute(
          sql`select pg_notify(${OUTBOX_CHANNEL}, ${JSON.stringify(ids.slice(i, i + IDS_PER_NOTIFY))})`,
        );
      return { count: claimed.length, deliveries: hooks.length + mails.length > 0 };
    });
    if (result.deliveries) this.options.onDeliveries?.();
    return result.count;
  }

  /** Outbox rows by id, in outbox order. */
  private async read(db: Executor, ids: readonly string[]): Promise<Relayed[]> {
    const rows = await rowsOf<Row>(
      db.execute(sql`
        select id, seq, organization_id, user_id, type, payload, occurred_at from "outbox"
        where id = any(${idArray(ids)}::uuid[]) order by seq`),
    );
    return rows.map(relayedOf);
  }

  /** A NOTIFY's ids, read and handed to this process's hub in outbox order. */
  private async announce(payload: string): Promise<void> {
    if (this.options.hub.size === 0) return;
    this.options.hub.publish(await this.read(this.options.db, JSON.parse(payload) as string[]));
  }
}
