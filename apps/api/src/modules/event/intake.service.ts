import { createHash } from "node:crypto";
import { type Database, type Executor, schema } from "@laurel/db";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { Conflict, Forbidden, NotFound } from "../../errors.js";
import { type Catalog, catalogFor } from "../achievement/catalog.js";
import { type Award, evaluate, type ProgressChange, type Tenant } from "../achievement/evaluation.service.js";
import { applyEvents } from "../metric/metric-values.js";

const { events, users, organizations, userAchievements, achievements, catalogVersion } = schema;

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
export async function lockUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<{ catalogVersion: number }> {
  const [row] = await db
    .select({ id: users.id, catalogVersion: CATALOG_VERSION })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, tenantId)))
    .for("no key update");
  if (!row) throw new NotFound("User", userId);
  return { catalogVersion: Number(row.catalogVersion) };
}

/** The catalog version, read in the locking statement (as text: PostgreSQL's bigint, whatever the driver). */
const CATALOG_VERSION = sql<string>`(select ${catalogVersion.version}::text from ${catalogVersion})`;

/**
 * The intake's one statement before it writes: locks the user (as `lockUser`) and reads, with it, what
 * the event is judged in: the user's state, their organization, and the catalog version.
 */
async function lockSubject(db: Executor, organizationId: string, userId: string) {
  const [row] = await db
    .select({
      isActive: users.isActive,
      tenant: {
        id: organizations.id,
        timeZone: organizations.timeZone,
        modules: organizations.modules,
      },
      catalogVersion: CATALOG_VERSION,
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)))
    .for("no key update", { of: users });
  return row && { ...row, catalogVersion: Number(row.catalogVersion) };
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

/** An event recorded under an idempotency key, with the awards it made: one statement. */
async function findByKey(
  db: Executor,
  tenantId: string,
  key: string,
): Promise<{ event: EventRow; awards: Award[] } | undefined> {
  const rows = await db
    .select({ event: events, award: userAchievements, achievement: achievements })
    .from(events)
    .leftJoin(userAchievements, eq(userAchievements.triggeringEventId, events.id))
    .leftJoin(achievements, eq(achievements.id, userAchievements.achievementId))
    .where(and(eq(events.organizationId, tenantId), eq(events.idempotencyKey, key)));
  if (rows.length === 0) return undefined;
  return {
    event: rows[0]!.event,
    awards: rows.flatMap((r) =>
      r.award && r.achievement ? [{ ...r.award, achievement: r.achievement, rewards: [] }] : [],
    ),
  };
}

function replay(existing: { event: EventRow; awards: Award[] }, hash: string): IntakeResult {
  if (existing.event.payloadHash !== hash) {
    throw new Conflict(
      "This idempotency key was already used for a different event",
      "idempotencyKey",
      "idempotency_key_reused",
    );
  }
  return { event: existing.event, replayed: true, awards: existing.awards, progress: [] };
}

/**
 * Takes one event for a user of an organization, as `ingest` does, with the fewest statements: a known
 * key is answered by one read; otherwise one statement locks the user and reads their organization and
 * the catalog version, and the catalog itself comes from this process's cache.
 */
export async function ingestFor(
  db: Database,
  organizationId: string,
  input: NewEvent,
  now: Date,
): Promise<IntakeResult> {
  const hash = payloadHash(input);
  const key = input.idempotencyKey && `${organizationId}|${input.idempotencyKey}`;
  if (key) {
    const known = recentlyRecorded.get(key) ?? (await findByKey(db, organizationId, input.idempotencyKey!));
    if (known) return replay(remember(key, known), hash);
  }
  const result = await db.transaction(async (tx) => {
    const subject = await lockSubject(tx, organizationId, input.userId);
    if (!subject) throw new NotFound("User", input.userId);
    if (!subject.isActive) throw new Forbidden("The user is deactivated");
    const catalog = await catalogFor(tx, subject.tenant, subject.catalogVersion);
    return recordLocked(tx, subject.tenant, input, now, hash, catalog);
  });
  // Only once committed: a key's first result never changes after that.
  if (key) remember(key, { event: result.event, awards: result.awards });
  return result;
}

/**
 * The first results of recently used idempotency keys, in this process: a client retrying (the usual
 * replay, seconds after the first try) is answered without a database read. A key's first result is
 * immutable once committed, so a copy cannot go stale; entries expire after ten minutes, and another
 * process simply reads the database.
 */
const recentlyRecorded = new Map<string, { event: EventRow; awards: Award[]; at: number }>();
const RECENT_MAX = 10_000;
const RECENT_MS = 10 * 60 * 1000;

function remember(key: string, entry: { event: EventRow; awards: Award[]; at?: number }) {
  const at = entry.at ?? Date.now();
  if (Date.now() - at > RECENT_MS) {
    recentlyRecorded.delete(key);
    return entry;
  }
  if (!recentlyRecorded.has(key)) {
    recentlyRecorded.set(key, { ...entry, at });
    if (recentlyRecorded.size > RECENT_MAX) recentlyRecorded.delete(recentlyRecorded.keys().next().value!);
  }
  return entry;
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
    if (known) return replay(known, hash);
  }
  return db.transaction(async (tx) => {
    const { catalogVersion } = await lockUser(tx, tenant.id, input.userId);
    return recordLocked(tx, tenant, input, now, hash, await catalogFor(tx, tenant, catalogVersion));
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
  catalog?: Catalog,
): Promise<IntakeResult> {
  catalog ??= await catalogFor(tx, tenant);
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
      return replay((await findByKey(tx, tenant.id, input.idempotencyKey!))!, hash);
    }
    const changed = await applyEvents(tx, tenant, input.userId, [event], now, catalog);
    const outcome = await evaluate(tx, tenant, input.userId, changed, {
      at: event.occurredAt,
      now,
      triggeringEventId: event.id,
      catalog,
    });
    return { event, replayed: false, ...outcome };
  }
}
