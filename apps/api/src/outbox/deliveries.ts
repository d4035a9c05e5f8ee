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

const claimedOf = (r: ClaimedRow): Claimed => ({
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
});

/** The condition of a delivery a dispatcher may take: due, or held by one whose lease ran out (it died). */
const due = (now: Date) => sql`d.status in ('pending', 'delivering') and d.next_attempt_at <= ${at(now)}
  and (d.status = 'pending' or d.lease_until <= ${at(now)})`;

/**
 * Claims due deliveries of enabled endpoints, the earliest first, at most `perEndpoint` per endpoint (or
 * the endpoint's own number in `limits`: the dispatcher claims more for an endpoint that answers well)
 * and `batch` in all: locked with SKIP LOCKED, so dispatchers in other processes take others, and leased
 * until `leaseUntil`, so they are taken again if this one dies. One short transaction (this statement).
 */
export async function claimDeliveries(
  db: Executor,
  options: {
    now: Date;
    leaseUntil: Date;
    batch: number;
    perEndpoint: number;
    limits?: Readonly<Record<string, number>>;
  },
): Promise<Claimed[]> {
  const { now, leaseUntil, batch, perEndpoint, limits = {} } = options;
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
        select id, endpoint_id,
          row_number() over (partition by endpoint_id order by next_attempt_at, created_at) as n
        from scanned
      ), picked as (
        select d.id from webhook_deliveries d
        where d.id in (
            select id from ranked
            where n <= coalesce((${JSON.stringify(limits)}::jsonb ->> endpoint_id::text)::int, ${perEndpoint}))
          and ${due(now)}
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
    .map(claimedOf)
    .sort(
      (a, b) =>
        a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
}

/**
 * An attempt on a held delivery, as it goes into the log: delivered, due again at `next`, or failed for
 * good (`failed`); `lease` is the one its claim set.
 */
export type Attempt = {
  deliveryId: string;
  lease: Date;
  at: Date;
  status: "delivered" | "pending" | "failed";
  next: Date | null;
  statusCode: number | null;
  response: string;
};

/**
 * Records attempts on deliveries this dispatcher holds, in one statement: only where the lease is still
 * the one its claim set (a dispatcher whose lease ran out and was taken over records nothing). Returns the
 * ids recorded.
 */
export async function recordAttempts(db: Executor, attempts: readonly Attempt[]): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  const records = attempts.map((a) => ({
    id: a.deliveryId,
    lease: a.lease.toISOString(),
    at: a.at.toISOString(),
    status: a.status,
    next: a.next?.toISOString() ?? null,
    code: a.statusCode,
    response: a.response,
  }));
  // webhook.record: every attempt of a batch from one jsonb recordset, guarded by the lease.
  const rows = await rowsOf<{ id: string }>(
    db.execute(sql`
      update webhook_deliveries d set status = r.status::delivery_status, attempts = d.attempts + 1,
        next_attempt_at = coalesce(r.next, d.next_attempt_at), lease_until = null, last_attempt_at = r.at,
        last_status_code = r.code, last_response = r.response,
        delivered_at = case when r.status = 'delivered' then r.at end
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
        as r(id uuid, lease timestamptz, at timestamptz, status text, next timestamptz, code int, response text)
      where d.id = r.id and d.status = 'delivering' and d.lease_until = r.lease
      returning d.id`),
  );
  return new Set(rows.map((r) => r.id));
}
/** Hands held deliveries back untried (their endpoint was just disabled): pending, as due as they were. */
export async function releaseDeliveries(db: Executor, ids: readonly string[], lease: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update webhook_deliveries set status = 'pending', lease_until = null
    where id = any(${idArray(ids)}::uuid[]) and status = 'delivering' and lease_until = ${at(lease)}`);
}

/**
 * What a batch of attempts says of an endpoint: `reset` when one was delivered (healthy again), then
 * `failingAt` the first failure after the last delivery (or of the batch), if any.
 */
export type HealthChange = { endpointId: string; reset: boolean; failingAt: Date | null };

/**
 * Applies health changes in one statement: failing_since cleared by a delivery, set by the first failure
 * of a healthy enabled endpoint. Returns, for each endpoint now failing, since when.
 */
export async function updateHealth(
  db: Executor,
  changes: readonly HealthChange[],
): Promise<Map<string, Date>> {
  if (changes.length === 0) return new Map();
  const records = changes.map((c) => ({
    id: c.endpointId,
    reset: c.reset,
    failing_at: c.failingAt?.toISOString() ?? null,
  }));
  // webhook.health: a failure counts only while the endpoint is enabled (as a disabled one is not tried).
  const rows = await rowsOf<{ id: string; failing_since: string | Date | null }>(
    db.execute(sql`
      update webhook_endpoints e set failing_since = case
          when c.failing_at is null then null
          when c.reset then c.failing_at
          else coalesce(e.failing_since, c.failing_at) end
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as c(id uuid, reset boolean, failing_at timestamptz)
      where e.id = c.id and case when c.failing_at is null then e.failing_since is not null else e.enabled end
      returning e.id, e.failing_since`),
  );
  const failing = new Map<string, Date>();
  for (const r of rows) if (r.failing_since !== null) failing.set(r.id, dateOf(r.failing_since));
  return failing;
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
