import { type Database, type DatabaseHandle, idArray, rowsOf } from "@laurel/db";
import { type OutboxType } from "@laurel/engine";
import { sql } from "drizzle-orm";
import type { Logger } from "../logger.js";
import type { OutboxHub, Relayed } from "./hub.js";

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
  /** Also published elsewhere (NATS), before the rows are marked relayed: at least once, by outbox id. */
  publish?: (events: readonly Relayed[]) => Promise<void>;
  /** Called after a batch that made webhook or email deliveries committed: their senders can go. */
  onDeliveries?: () => void;
  /** How often it looks when nobody kicked it. */
  pollMs?: number;
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
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: RelayOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.options.listen(OUTBOX_CHANNEL, (payload) => {
      this.announce(payload).catch((error: unknown) =>
        this.options.logger.error("Relayed outbox events could not be read", { error: String(error) }),
      );
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Something was written to the outbox here: relay it now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Relays what is waiting, batch by batch; returns how many rows. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayOnce();
      total += relayed;
      if (relayed < (this.options.batch ?? 200)) return total;
    }
  }

  /** One batch in one transaction: claimed, fanned out, published, marked and announced. */
  async relayOnce(): Promise<number> {
    const { db, publish } = this.options;
    const limit = this.options.batch ?? 200;
    const result = await db.transaction(async (tx) => {
      const claimed = await rowsOf<Row>(
        tx.execute(sql`
          select id, seq, organization_id, user_id, type, payload, occurred_at from "outbox"
          where relayed_at is null order by seq limit ${limit} for update skip locked`),
      );
      if (claimed.length === 0) return { count: 0, deliveries: false };
      const ids = claimed.map((r) => r.id);
      const idList = sql`${idArray(ids)}::uuid[]`;
      const hooks = await rowsOf(tx.execute(sql`
        insert into "webhook_deliveries" (organization_id, endpoint_id, outbox_id, event_type)
        select o.organization_id, e.id, o.id, o.type
        from "outbox" o
        join "webhook_endpoints" e on e.organization_id = o.organization_id and e.enabled and o.type = any(e.event_types)
        where o.id = any(${idList})
        on conflict do nothing
        returning 1`));
      const mails = await rowsOf(tx.execute(sql`
        insert into "email_deliveries" (organization_id, user_id, outbox_id)
        select o.organization_id, u.id, o.id
        from "outbox" o
        join "organizations" org on org.id = o.organization_id
        join "users" u on u.id = o.user_id and u.organization_id = o.organization_id
        where o.id = any(${idList}) and u.is_active and not u.email_opt_out
          and ((o.type = 'achievement.earned' and org.email_awards) or (o.type = 'summary.ready' and org.email_summaries))
        on conflict do nothing
        returning 1`));
      if (publish) await publish(claimed.map(relayedOf));
      await tx.execute(sql`update "outbox" set relayed_at = now() where id = any(${idList})`);
      for (let i = 0; i < ids.length; i += IDS_PER_NOTIFY)
        await tx.execute(
          sql`select pg_notify(${OUTBOX_CHANNEL}, ${JSON.stringify(ids.slice(i, i + IDS_PER_NOTIFY))})`,
        );
      return { count: claimed.length, deliveries: hooks.length + mails.length > 0 };
    });
    if (result.deliveries) this.options.onDeliveries?.();
    return result.count;
  }

  /** A NOTIFY's ids, read and handed to this process's hub in outbox order. */
  private async announce(payload: string): Promise<void> {
    if (this.options.hub.size === 0) return;
    const ids = JSON.parse(payload) as string[];
    const rows = await rowsOf<Row>(
      this.options.db.execute(sql`
        select id, seq, organization_id, user_id, type, payload, occurred_at from "outbox"
        where id = any(${idArray(ids)}::uuid[]) order by seq`),
    );
    this.options.hub.publish(rows.map(relayedOf));
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 500;
    while (this.running) {
      this.kicked = false;
      try {
        await this.drain();
      } catch (error) {
        this.options.logger.error("The outbox relay failed; it tries again", { error: String(error) });
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
