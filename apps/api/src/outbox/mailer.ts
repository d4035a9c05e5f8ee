import { type Database, rowsOf } from "@laurel/db";
import type { AchievementEarned, SummaryReady } from "@laurel/engine";
import { sql } from "drizzle-orm";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { mailLanguage, type MailTransport } from "../mail.js";
import { awardMail, type Mail, type Recipient, wrappedMail } from "./mail-messages.js";
import { Loop } from "./loop.js";
import type { PeopleLinks } from "./opt-out.js";

/**
 * How a failed email is retried: after 1 minute, then twice as long each time (plus up to a tenth more,
 * so a mail server's return is not met by every email at once), at most 6 hours apart; after the 13th
 * attempt (about 26 hours after the first) it is marked failed.
 */
export const MAIL_RETRY = { firstDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, maxAttempts: 13 };

/** The wait after the `attempts`-th failed attempt (1, 2, ...). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAIL_RETRY.maxDelayMs, MAIL_RETRY.firstDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + random() / 10));
}

type Claimed = {
  id: string;
  attempts: number;
  user_id: string;
  type: string;
  payload: Record<string, unknown>;
  email: string;
  display_name: string;
  user_locale: string | null;
  is_active: boolean;
  email_opt_out: boolean;
  org_name: string;
  org_locale: string;
  email_awards: boolean;
  email_summaries: boolean;
  rewards: { name: string; quantity: number }[];
};

export type MailerOptions = {
  db: Database;
  /** The process's mail transport, the one sign-in codes use; none: the mailer does not run. */
  transport: MailTransport | undefined;
  links: PeopleLinks;
  clock: Clock;
  logger: Logger;
  /**
   * How long a claim on a batch lasts (5 minutes): past it, another process takes its emails (their
   * sender died). Longer than a batch takes with every send timing out (mail.ts's waits).
   */
  leaseMs?: number;
  /** Emails claimed at once (10), sent one after the other. */
  batch?: number;
  /** How often it looks when nobody kicked it (retries come due on their own). */
  pollMs?: number;
};

/**
 * Sends people's emails (email_deliveries, made by the relay for an award or a Wrapped where the
 * organization sends them): claims due ones with `FOR UPDATE SKIP LOCKED` and a lease, so several API
 * processes share the work and a dead one's claims come back; renders each in the person's language,
 * else the organization's; sends through the process's mail transport; retries failures on
 * MAIL_RETRY's schedule. Checked again at sending: a person who opted out, was deactivated, or whose
 * organization turned the emails off since gets nothing (marked failed, with the reason).
 */
export class Mailer {
  private readonly loop: Loop;

  constructor(private readonly options: MailerOptions) {
    this.loop = new Loop(() => this.drain(), {
      name: "The mailer",
      logger: options.logger,
      pollMs: options.pollMs ?? 2_000,
    });
  }

  /** Whether it can send at all (a mail transport is configured). */
  get enabled(): boolean {
    return this.options.transport !== undefined;
  }

  start(): void {
    if (this.enabled) this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** New deliveries were committed (the relay's onDeliveries): send them now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** Sends what is due, batch by batch; returns how many emails were tried. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const tried = await this.sendOnce();
      total += tried;
      if (tried < (this.options.batch ?? 10)) return total;
    }
  }

  /** One batch: claimed, then each sent (or refused, or put back for later) and marked. */
  async sendOnce(): Promise<number> {
    const transport = this.options.transport;
    if (!transport) return 0;
    const claimed = await this.claim();
    for (const row of claimed) await this.deliver(transport, row);
    return claimed.length;
  }

  /**
   * email-deliveries.claim: due rows (pending, or delivering past their lease), locked and skipped by
   * other claimers, leased to this process (next_attempt_at moves to the lease's end, so the one due
   * index finds a dead holder's rows again), read with what rendering needs in the same statement.
   */
  private async claim(): Promise<Claimed[]> {
    const now = this.options.clock.now();
    const leaseEnd = new Date(now.getTime() + (this.options.leaseMs ?? 300_000)).toISOString();
    return rowsOf<Claimed>(
      this.options.db.execute(sql`
        with claimed as (
          update "email_deliveries" d
          set status = 'delivering', attempts = d.attempts + 1, lease_until = ${leaseEnd}::timestamptz,
              next_attempt_at = ${leaseEnd}::timestamptz
          where d.id in (
            select id from "email_deliveries"
            where status in ('pending', 'delivering') and next_attempt_at <= ${now.toISOString()}::timestamptz
            order by next_attempt_at limit ${this.options.batch ?? 10}
            for update skip locked)
          returning d.id, d.attempts, d.user_id, d.outbox_id, d.organization_id
        )
        select c.id, c.attempts, c.user_id, o.type, o.payload, u.email, u.display_name, u.locale as user_locale,
               u.is_active, u.email_opt_out, org.name as org_name, org.locale as org_locale,
               org.email_awards, org.email_summaries,
               coalesce((
                 select jsonb_agg(jsonb_build_object('name', coalesce(cs.name, rl.description),
                                                     'quantity', rl.quantity) order by rl.created_at)
                 from "reward_ledger" rl left join "consumables" cs on cs.id = rl.consumable_id
                 where o.type = 'achievement.earned'
                   and rl.user_achievement_id = (o.payload->>'userAchievementId')::uuid
               ), '[]'::jsonb) as rewards
        from claimed c
        join "outbox" o on o.id = c.outbox_id
        join "users" u on u.id = c.user_id
        join "organizations" org on org.id = c.organization_id
        order by o.seq`),
    );
  }

  private async deliver(transport: MailTransport, row: Claimed): Promise<void> {
    const refused = refusal(row);
    if (refused) {
      await this.mark(row.id, { status: "failed", error: refused });
      return;
    }
    try {
      const mail = this.render(row);
      const url = this.options.links.optOutUrl(row.user_id);
      await transport.transporter.sendMail({
        from: transport.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // One-click unsubscribe in mail clients (RFC 8058), to the same link as the email's own.
        headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
      await this.mark(row.id, { status: "delivered" });
      this.options.logger.debug("Email sent", { delivery: row.id, type: row.type });
    } catch (error) {
      const message = String(error).slice(0, 1000);
      if (row.attempts >= MAIL_RETRY.maxAttempts) {
        this.options.logger.error("Email failed for good", {
          delivery: row.id,
          attempts: row.attempts,
          error: message,
        });
        await this.mark(row.id, { status: "failed", error: message });
      } else {
        const retryInMs = retryDelayMs(row.attempts);
        this.options.logger.warn("Email failed; it is tried again", {
          delivery: row.id,
          retryInMs,
          error: message,
        });
        await this.mark(row.id, { status: "pending", error: message, retryInMs });
      }
    }
  }

  private render(row: Claimed): Mail {
    const to: Recipient = {
      to: row.email,
      name: row.display_name,
      organization: row.org_name,
      language: mailLanguage(row.user_locale, row.org_locale),
      appUrl: this.options.links.appUrl,
      optOutUrl: this.options.links.optOutUrl(row.user_id),
    };
    if (row.type === "summary.ready") return wrappedMail(to, (row.payload as SummaryReady).year);
    const earned = row.payload as AchievementEarned;
    return awardMail(to, {
      achievement: earned.achievement.name,
      points: earned.achievement.points,
      rewards: row.rewards,
    });
  }

  /** email-deliveries.mark: the outcome of one attempt; the lease ends. */
  private async mark(
    id: string,
    outcome:
      | { status: "delivered" }
      | { status: "failed"; error: string }
      | { status: "pending"; error: string; retryInMs: number },
  ): Promise<void> {
    const now = this.options.clock.now();
    const next = outcome.status === "pending" ? new Date(now.getTime() + outcome.retryInMs) : now;
    await this.options.db.execute(sql`
      update "email_deliveries"
      set status = ${outcome.status}::delivery_status, lease_until = null,
          next_attempt_at = ${next.toISOString()}::timestamptz,
          last_error = ${"error" in outcome ? outcome.error : null},
          sent_at = ${outcome.status === "delivered" ? now.toISOString() : null}::timestamptz
      where id = ${id}::uuid`);
  }
}

/** Why an email is not sent after all (the person or organization changed since it was queued), or null. */
function refusal(row: Claimed): string | null {
  if (!row.is_active) return "not sent: the person is deactivated";
  if (row.email_opt_out) return "not sent: the person opted out";
  if (row.type === "achievement.earned" && !row.email_awards)
    return "not sent: the organization turned award emails off";
  if (row.type === "summary.ready" && !row.email_summaries)
    return "not sent: the organization turned Wrapped emails off";
  if (row.type !== "achievement.earned" && row.type !== "summary.ready")
    return `not sent: no email for ${row.type}`;
  return null;
}
