import { type Executor, idArray, rowsOf } from "@laurel/db";
import { sql } from "drizzle-orm";

/** A claimed delivery, with what posting it needs: its endpoint and its outbox row. */
export type Claimed = {
  id: string;
  endpointId: string;
  organizationId: string;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  outboxId: string;
  type: string;
  payload: unknown;
  occurredAt: Date;
};

type ClaimedRow = {
  id: string;
  endpoint_id: string;
  organization_id: string;
  attempts: number;
  next_attempt_at: string | Date;
  created_at: string | Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | Date | null;
  outbox_id: string;
  type: string;
  payload: unknown;
  occurred_at: string | Date;
};

const at = (value: Date) => sql`${value.toISOString()}::timestamptz`;
const dateOf = (value: string | Date) => new Date(value);

/** The condition of a delivery a dispatcher may take: due, or held by one whose lease ran out (it died). */
const due = (now: Date) => sql`d.status in ('pending', 'delivering') and d.next_attempt_at <= ${at(now)}
  and (d.status = 'pending' or d.lease_until <= ${at(now)})`;

/**
 * Claims due deliveries of enabled endpoints, the earliest first, at most `perEndpoint` per endpoint (a
 * dispatcher posts one endpoint's deliveries one after another, in order, so its lease covers them) and
 * `batch` in all: locked with SKIP LOCKED, so dispatchers in other processes take others, and leased
 * until `leaseUntil`, so they are taken again if this one dies. One short transaction (this statement).
 */
export async function claimDeliveries(
  db: Executor,
  options: { now: Date; leaseUntil: Date; batch: number; perEndpoint: number },
): Promise<Claimed[]> {
  const { now, leaseUntil, batch, perEndpoint } = options;
  // webhook.claim: scanned by the due index, ranked per endpoint, then locked; the outbox row and the
  // endpoint come back with the claim.
  const rows = await rowsOf<ClaimedRow>(
    db.execute(sql`
      with scanned as (
        select d.id, d.endpoint_id, d.next_attempt_at, d.created_at
        from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and e.enabled
        where ${due(now)}
        order by d.next_attempt_at limit ${batch * 4}
      ), ranked as (
        select id, row_number() over (partition by endpoint_id order by next_attempt_at, created_at) as n
        from scanned
      ), picked as (
        select d.id from webhook_deliveries d
        where d.id in (select id from ranked where n <= ${perEndpoint}) and ${due(now)}
        order by d.next_attempt_at limit ${batch}
        for update of d skip locked
      )
      update webhook_deliveries d set status = 'delivering', lease_until = ${at(leaseUntil)}
      from picked, webhook_endpoints e, outbox o
      where d.id = picked.id and e.id = d.endpoint_id and o.id = d.outbox_id
      returning d.id, d.endpoint_id, d.organization_id, d.attempts, d.next_attempt_at, d.created_at,
        e.url, e.secret, e.previous_secret, e.previous_secret_until,
        o.id as outbox_id, o.type, o.payload, o.occurred_at`),
  );
  return rows
    .map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      organizationId: r.organization_id,
      attempts: Number(r.attempts),
      nextAttemptAt: dateOf(r.next_attempt_at),
      createdAt: dateOf(r.created_at),
      url: r.url,
      secret: r.secret,
      previousSecret: r.previous_secret,
      previousSecretUntil: r.previous_secret_until === null ? null : dateOf(r.previous_secret_until),
      outboxId: r.outbox_id,
      type: r.type,
      payload: r.payload,
      occurredAt: dateOf(r.occurred_at),
    }))
    .sort(
      (a, b) =>
        a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
}

/** What an attempt left in the delivery's log. */
export type Attempt = { at: Date; statusCode: number | null; response: string };

/**
 * Records an attempt on a delivery this dispatcher holds (`lease`: the one its claim set, so a dispatcher
 * whose lease ran out and was taken over records nothing): delivered, due again at `next`, or failed for
 * good (`next` null). Returns false when the delivery was no longer this dispatcher's.
 */
export async function recordAttempt(
  db: Executor,
  delivery: Claimed,
  lease: Date,
  attempt: Attempt,
  outcome: { delivered: true } | { delivered: false; next: Date | null },
): Promise<boolean> {
  const status = outcome.delivered ? "delivered" : outcome.next ? "pending" : "failed";
  const next = !outcome.delivered && outcome.next ? at(outcome.next) : sql`next_attempt_at`;
  const rows = await rowsOf(
    db.execute(sql`
      update webhook_deliveries set status = ${status}::delivery_status, attempts = attempts + 1,
        next_attempt_at = ${next}, lease_until = null, last_attempt_at = ${at(attempt.at)},
        last_status_code = ${attempt.statusCode}, last_response = ${attempt.response},
        delivered_at = ${outcome.delivered ? at(attempt.at) : null}
      where id = ${delivery.id} and status = 'delivering' and lease_until = ${at(lease)}
      returning 1`),
  );
  return rows.length > 0;
}

/** Hands held deliveries back untried (their endpoint was just disabled): pending, as due as they were. */
export async function releaseDeliveries(db: Executor, ids: readonly string[], lease: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update webhook_deliveries set status = 'pending', lease_until = null
    where id = any(${idArray(ids)}::uuid[]) and status = 'delivering' and lease_until = ${at(lease)}`);
}

/** An endpoint answered: it is healthy again. */
export async function markHealthy(db: Executor, endpointId: string): Promise<void> {
  await db.execute(sql`
    update webhook_endpoints set failing_since = null where id = ${endpointId} and failing_since is not null`);
}

/** An endpoint failed: since when it has been failing (now, if it was healthy). */
export async function markFailing(db: Executor, endpointId: string, now: Date): Promise<Date | undefined> {
  const [row] = await rowsOf<{ failing_since: string | Date }>(
    db.execute(sql`
      update webhook_endpoints set failing_since = coalesce(failing_since, ${at(now)})
      where id = ${endpointId} and enabled
      returning failing_since`),
  );
  return row ? dateOf(row.failing_since) : undefined;
}

export type DisableReason = "gone" | "failing";

const NOTICE: Record<DisableReason, (url: string) => string> = {
  gone: (url) => `${url} answered 410 Gone, so Laurel stopped sending to it.`,
  failing: (url) =>
    `Every delivery to ${url} has failed for three days, so Laurel stopped sending to it. Fix the receiver, then enable the endpoint again; its failed deliveries can be replayed.`,
};

/**
 * Disables an enabled endpoint and tells its organization's webhook managers (users whose role holds
 * manage:webhooks) in their notifications, in one transaction; nothing when it was disabled already.
 */
export async function disableEndpoint(
  db: Executor,
  endpointId: string,
  reason: DisableReason,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [endpoint] = await rowsOf<{ organization_id: string; url: string }>(
      tx.execute(sql`
        update webhook_endpoints set enabled = false, disabled_reason = ${reason}, updated_at = ${at(now)}
        where id = ${endpointId} and enabled
        returning organization_id, url`),
    );
    if (!endpoint) return false;
    const data = JSON.stringify({ endpointId, url: endpoint.url, reason });
    // webhook.notify_disabled: one notification per active user of the organization who manages webhooks.
    await tx.execute(sql`
      insert into notifications (organization_id, user_id, type, title, body, data, created_at)
      select u.organization_id, u.id, 'webhook_disabled', ${"Webhook endpoint disabled"},
        ${NOTICE[reason](endpoint.url)}, ${data}::jsonb, ${at(now)}
      from users u join roles r on r.id = u.role_id
      where u.organization_id = ${endpoint.organization_id} and u.is_active
        and 'manage:webhooks' = any(r.permissions)`);
    return true;
  });
}
