import { createHash } from "node:crypto";
import { type Database, type Executor, schema } from "@laurel/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import { Conflict, NotFound } from "../../errors.js";
import { type Award, evaluate, type ProgressChange, type Tenant } from "../achievement/evaluation.service.js";
import { applyEvents } from "../metric/metric-values.js";

const { events, users, userAchievements, achievements } = schema;

export type EventRow = typeof events.$inferSelect;
export type EventSource = EventRow["source"];

export type NewEvent = {
  userId: string;
  type: string;
  value: number | null;
  attributes: Record<string, unknown>;
  /** When the caller says it happened; absent means now (and is left out of the replay check). */
  occurredAt: Date | null;
  idempotencyKey: string | null;
  source: EventSource;
};

export type IntakeResult = {
  event: EventRow;
  replayed: boolean;
  awards: Award[];
  progress: ProgressChange[];
};

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What makes two events with one idempotency key the same event. */
export function payloadHash(event: NewEvent): string {
  const { userId, type, value, attributes, occurredAt } = event;
  const body = JSON.stringify(
    canonical({ userId, type, value, attributes, occurredAt: occurredAt?.toISOString() ?? null }),
  );
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Serializes the work on one user: concurrent events for a user queue here, so their metric updates
 * and awards never interleave; different users run in parallel. `FOR NO KEY UPDATE`, not `FOR UPDATE`:
 * it excludes the other lockers but not the foreign-key checks of rows that reference the user (which
 * take `FOR KEY SHARE`), so an insert elsewhere never deadlocks against a holder of this lock.
 */
export async function lockUser(db: Executor, tenantId: string, userId: string): Promise<void> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, tenantId)))
    .for("no key update");
  if (!row) throw new NotFound("User", userId);
}

/**
 * Locks several users of a tenant at once, in id order (the order every multi-user locker uses, so two
 * of them never deadlock); users that are gone are skipped.
 */
export async function lockUsers(db: Executor, tenantId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...userIds]), eq(users.organizationId, tenantId)))
    .orderBy(asc(users.id))
    .for("no key update");
}

async function replay(db: Executor, existing: EventRow, hash: string): Promise<IntakeResult> {
  if (existing.payloadHash !== hash) {
    throw new Conflict(
      "This idempotency key was already used for a different event",
      "idempotencyKey",
      "idempotency_key_reused",
    );
  }
  const rows = await db
    .select({ award: userAchievements, achievement: achievements })
    .from(userAchievements)
    .innerJoin(achievements, eq(achievements.id, userAchievements.achievementId))
    .where(eq(userAchievements.triggeringEventId, existing.id));
  return {
    event: existing,
    replayed: true,
    awards: rows.map((r) => ({ ...r.award, achievement: r.achievement, rewards: [] })),
    progress: [],
  };
}

async function findByKey(db: Executor, tenantId: string, key: string): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.organizationId, tenantId), eq(events.idempotencyKey, key)));
  return row;
}

/**
 * Takes one event for a user: stores it, updates the user's metrics, judges the achievements that read
 * them and awards what completes, all in one transaction. A known idempotency key returns the first
 * result and counts nothing; the same key with another payload is refused.
 */
export async function ingest(
  db: Database,
  tenant: Tenant,
  input: NewEvent,
  now: Date,
): Promise<IntakeResult> {
  const hash = payloadHash(input);
  if (input.idempotencyKey) {
    // A replay is answered without a lock or a write.
    const known = await findByKey(db, tenant.id, input.idempotencyKey);
    if (known) return replay(db, known, hash);
  }
  return db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, input.userId);
    return recordLocked(tx, tenant, input, now, hash);
  });
}

/**
 * The body of an intake, for callers that already hold the user's lock in their transaction
 * (logging or correcting an activity).
 */
export async function recordLocked(
  tx: Executor,
  tenant: Tenant,
  input: NewEvent,
  now: Date,
  hash = payloadHash(input),
): Promise<IntakeResult> {
  {
    const [event] = await tx
      .insert(events)
      .values({
        organizationId: tenant.id,
        userId: input.userId,
        type: input.type,
        value: input.value,
        attributes: input.attributes,
        occurredAt: input.occurredAt ?? now,
        idempotencyKey: input.idempotencyKey,
        payloadHash: hash,
        source: input.source,
      })
      .onConflictDoNothing({ target: [events.organizationId, events.idempotencyKey] })
      .returning();
    if (!event) {
      // A twin with the same key committed between the look-up and the lock.
      return replay(tx, (await findByKey(tx, tenant.id, input.idempotencyKey!))!, hash);
    }
    const changed = await applyEvents(tx, tenant, input.userId, [event], now);
    const outcome = await evaluate(tx, tenant, input.userId, changed, {
      at: event.occurredAt,
      now,
      triggeringEventId: event.id,
    });
    return { event, replayed: false, ...outcome };
  }
}
