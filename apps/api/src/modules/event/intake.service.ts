import { createHash, randomUUID } from "node:crypto";
import { type Database, type Executor, rowsOf, schema } from "@laurel/db";
import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import { Mutex } from "async-mutex";
import { LRUCache } from "lru-cache";
import { Conflict, Forbidden, NotFound } from "../../errors.js";
import { type Catalog, cachedCatalog, catalogFor } from "../achievement/catalog.js";
import {
  type Award,
  evaluate,
  type ProgressChange,
  standingId,
  type Tenant,
} from "../achievement/evaluation.service.js";
import { applyEvents, cellId, memberKey } from "../metric/metric-values.js";
import { emptyNeeds, type Needs, needsOf, type Plan, planIntake, type Snapshot } from "./intake-plan.js";
import { writeBatched } from "./intake-batch.js";
import { readSnapshot, type Written } from "./intake-sql.js";

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

/** The stored event's own columns, as both paths of the intake write them. */
function eventValuesOf(input: NewEvent, now: Date, hash: string) {
  return {
    type: input.type,
    value: input.value,
    attributes: input.attributes,
    occurredAt: input.occurredAt ?? now,
    idempotencyKey: input.idempotencyKey,
    payloadHash: hash,
    source: input.source,
  };
}

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

/** The locking statement, for one user of a tenant. */
const lockOne = (tenantId: string, userId: string) => sql`
  update ${users} set lock_version = lock_version + 1
  where ${users.id} = ${userId} and ${users.organizationId} = ${tenantId}`;

/** The catalog version (as text: PostgreSQL's bigint, whatever the driver). */
const CATALOG_VERSION = sql`(select ${catalogVersion.version}::text from ${catalogVersion})`;

/**
 * Serializes the work on one user: concurrent events for a user queue here, so their metric updates
 * and awards never interleave; different users run in parallel. The lock is an UPDATE of the user's
 * `lock_version` (a `FOR NO KEY UPDATE` row lock, which foreign-key checks of rows referencing the user
 * do not wait for), so the intake's lock-free read notices any work done under the lock since.
 */
export async function lockUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<{ catalogVersion: number }> {
  const [row] = await rowsOf<{ version: string }>(
    db.execute(sql`${lockOne(tenantId, userId)} returning ${CATALOG_VERSION} as version`),
  );
  if (!row) throw new NotFound("User", userId);
  return { catalogVersion: Number(row.version) };
}

/**
 * The path under the lock's first statement: locks the user (as `lockUser`) and reads, with it, what
 * the event is judged in: the user's state, their organization, and the catalog version.
 */
async function lockSubject(db: Executor, organizationId: string, userId: string) {
  const [row] = await rowsOf<{
    is_active: boolean;
    time_zone: string;
    modules: string[];
    version: string;
  }>(
    db.execute(sql`
      with locked as (${lockOne(organizationId, userId)} returning ${users.isActive} as is_active)
      select locked.is_active, o.time_zone, o.modules, ${CATALOG_VERSION} as version
      from locked join ${organizations} o on o.id = ${organizationId}`),
  );
  return (
    row && {
      isActive: row.is_active,
      tenant: { id: organizationId, timeZone: row.time_zone, modules: row.modules },
      catalogVersion: Number(row.version),
    }
  );
}

/**
 * Locks several users of a tenant at once, in id order (the order every multi-user locker uses, so two
 * of them never deadlock), moving their lock versions on; users that are gone are skipped.
 */
export async function lockUsers(db: Executor, tenantId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await lockWhere(
    db,
    tenantId,
    sql`${users.id} in (${sql.join(
      userIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
}

/** Locks, as `lockUsers`, the next `limit` users of a tenant after `after` in id order; returns their ids. */
export async function lockUserPage(
  db: Executor,
  tenantId: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  return lockWhere(db, tenantId, after ? sql`${users.id} > ${after}::uuid` : sql`true`, sql`limit ${limit}`);
}

async function lockWhere(db: Executor, tenantId: string, which: SQL, limit: SQL = sql``): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db.execute(sql`
      with locked as (
        select ${users.id} as id from ${users}
        where ${users.organizationId} = ${tenantId} and ${which}
        order by ${users.id} ${limit}
        for no key update
      )
      update ${users} set lock_version = lock_version + 1
      from locked where ${users.id} = locked.id
      returning ${users.id} as id`),
  );
  return rows.map((r) => r.id).sort();
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
    // (Not null: the index on the event holds awards only.)
    .leftJoin(
      userAchievements,
      and(eq(userAchievements.triggeringEventId, events.id), isNotNull(userAchievements.triggeringEventId)),
    )
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
 * Takes one event for a user of an organization: stores it, updates the user's metrics, judges the
 * achievements that read them and awards what completes, all or nothing. A known idempotency key
 * returns the first result and counts nothing; the same key with another payload is refused.
 *
 * Usually two statements and no transaction (intake-plan.ts, intake-sql.ts): one read of everything the
 * event could need, planned against this process's cached organization and catalog, then one write
 * that succeeds only if nothing touched the user in between. When something did, when the caches were
 * stale three times running, or when a late event needs history, the event is taken under the user's
 * lock, statement by statement (`recordLocked`).
 */
export async function ingestFor(
  db: Database,
  organizationId: string,
  input: NewEvent,
  now: Date,
): Promise<IntakeResult> {
  const hash = payloadHash(input);
  const key = input.idempotencyKey && `${organizationId}|${input.idempotencyKey}`;
  const recent = key ? recentlyRecorded.get(key) : undefined;
  if (recent) return replay(recent, hash);
  const result = await inTurn(
    userKeyOf(organizationId, input.userId),
    async () =>
      (await planned(db, organizationId, input, now, hash)) ??
      (await underLock(db, organizationId, input, now, hash)),
  );
  // Only once committed: a key's first result never changes after that.
  if (key && !recentlyRecorded.has(key))
    recentlyRecorded.set(key, { event: result.event, awards: result.awards });
  return result;
}

/** A user of a tenant, as the intake's turns and copies know them. */
const userKeyOf = (organizationId: string, userId: string) => `${organizationId}|${userId}`;

/**
 * A user's events in this process, one after another (first come, first served): each is planned from
 * what the one before it wrote, with no read, instead of racing it to the database and losing to its
 * guard. Users are independent, and other processes are kept in step by the guard and the lock.
 */
const turns = new Map<string, Mutex>();

async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  let turn = turns.get(key);
  if (!turn) turns.set(key, (turn = new Mutex()));
  try {
    return await turn.runExclusive(work);
  } finally {
    // Nobody holds or waits for it: forget it.
    if (!turn.isLocked() && turns.get(key) === turn) turns.delete(key);
  }
}

/** Organizations' zones and modules as last read, by id: what an event's plan is worked out in. */
const knownTenants = new LRUCache<string, Tenant>({ max: 1000 });

const sameTenant = (a: Tenant, b: Tenant) =>
  a.timeZone === b.timeZone &&
  a.modules.length === b.modules.length &&
  a.modules.every((m, i) => m === b.modules[i]);

/** The two-statement intake; undefined when the event must be taken under the lock. */
async function planned(
  db: Database,
  organizationId: string,
  input: NewEvent,
  now: Date,
  hash: string,
): Promise<IntakeResult | undefined> {
  const event = { id: randomUUID(), ...eventValuesOf(input, now, hash) };
  const userKey = userKeyOf(organizationId, input.userId);
  for (let round = 0; round < 3; round++) {
    const tenant = knownTenants.get(organizationId);
    const catalog = tenant && cachedCatalog(tenant);
    const needs = tenant && catalog ? needsOf(catalog, tenant.timeZone, event, now) : emptyNeeds();
    // What this process wrote for the user last time, if it covers this event: no read at all. The write
    // checks that the user, their organization and the catalog are as they were, or writes nothing.
    const known = tenant && catalog && knownUsers.get(userKey);
    const cached =
      known &&
      known.catalogVersion === catalog.version &&
      sameTenant(known.tenant, tenant) &&
      covers(known, needs)
        ? known
        : undefined;
    let source: { lockVersion: string; snapshot: Snapshot };
    // The copy the plan is made from, if any.
    let base = cached;
    if (cached) source = { lockVersion: cached.lockVersion, snapshot: cached };
    else {
      const read = await readSnapshot(db, organizationId, input.userId, input.idempotencyKey, needs);
      if (read.known) return replayFromDatabase(db, organizationId, input.idempotencyKey!, hash);
      if (!read.user || !read.tenant) throw new NotFound("User", input.userId);
      if (!read.user.isActive) throw new Forbidden("The user is deactivated");
      if (!tenant || !sameTenant(tenant, read.tenant)) {
        knownTenants.set(organizationId, read.tenant);
        continue;
      }
      if (!catalog || catalog.version !== read.catalogVersion) {
        await catalogFor(db, tenant, read.catalogVersion);
        continue;
      }
      // Read at the version of this process's copy (which did not cover the event): the same state, so
      // the copy learns what was read and the plan is made from it, and the copy keeps what it knew.
      const copy = knownUsers.get(userKey);
      if (
        copy &&
        copy.lockVersion === read.user.lockVersion &&
        copy.catalogVersion === catalog.version &&
        sameTenant(copy.tenant, tenant)
      ) {
        learn(copy, read.snapshot, needs);
        base = copy;
        source = { lockVersion: copy.lockVersion, snapshot: copy };
      } else source = { lockVersion: read.user.lockVersion, snapshot: read.snapshot };
    }
    const plan = planIntake(catalog!, tenant!.timeZone, event, needs, source.snapshot, now);
    if (!plan) return undefined;
    let written: Written;
    try {
      written = await writeBatched(db, {
        organizationId,
        userId: input.userId,
        lockVersion: source.lockVersion,
        event,
        plan,
        now,
        context: { catalogVersion: catalog!.version, tenant: tenant! },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== PLAN_FAILED) throw error;
      written = { kind: "moved" };
    }
    if (written.kind !== "written") knownUsers.delete(userKey);
    // Stale by the time of the write: read afresh (a copy), or take the event under the lock (a read).
    if (written.kind === "moved") {
      if (cached) continue;
      return undefined;
    }
    if (written.kind === "known") return replayFromDatabase(db, organizationId, input.idempotencyKey!, hash);
    const state = after(source.snapshot, plan);
    knownUsers.set(userKey, {
      ...state,
      lockVersion: String(BigInt(source.lockVersion) + 1n),
      catalogVersion: catalog!.version,
      tenant: tenant!,
      absent: absentAfter(state, base?.absent, needs),
    });
    return {
      event: written.event,
      replayed: false,
      awards: written.awards.map((row, i) => ({
        ...row,
        achievement: plan.awards[i]!.achievement,
        rewards: [...plan.awards[i]!.grants],
      })),
      progress: plan.progress,
    };
  }
  return undefined;
}

/**
 * Users' state as this process last wrote it (their lock version, and the cells, members and rows it
 * read or wrote), so their next event here is planned with no read. Any other writer moves the user's
 * lock version on, and the write that relied on a stale copy then writes nothing and reads afresh.
 */
type KnownUser = Snapshot & {
  lockVersion: string;
  catalogVersion: number;
  tenant: Tenant;
  /** Keys read and found absent: with the snapshot's own keys, what the copy can answer for. */
  absent: { cells: Set<string>; members: Set<string>; standing: Set<string> };
};
// About 7 KB a user in a tenant with a hundred achievements: some 15 MB at most.
const knownUsers = new LRUCache<string, KnownUser>({ max: 2_000 });

const covers = (known: KnownUser, needs: Needs) =>
  [...needs.cells.keys()].every((k) => known.cells.has(k) || known.absent.cells.has(k)) &&
  [...needs.members.keys()].every((k) => known.members.has(k) || known.absent.members.has(k)) &&
  [...needs.standing.keys()].every((k) => known.standing.has(k) || known.absent.standing.has(k));

/** Adds to a copy what a read at its version found, and what it found absent. */
function learn(copy: KnownUser, read: Snapshot, needs: Needs) {
  for (const [k, v] of read.cells) if (!copy.cells.has(k)) copy.cells.set(k, v);
  for (const k of read.members) copy.members.add(k);
  for (const [k, v] of read.standing) if (!copy.standing.has(k)) copy.standing.set(k, v);
  for (const k of needs.cells.keys()) if (!read.cells.has(k) && !copy.cells.has(k)) copy.absent.cells.add(k);
  for (const k of needs.members.keys())
    if (!read.members.has(k) && !copy.members.has(k)) copy.absent.members.add(k);
  for (const k of needs.standing.keys())
    if (!read.standing.has(k) && !copy.standing.has(k)) copy.absent.standing.add(k);
}

/** The keys still absent once `state` is written: those read absent before, and now, and not written. */
function absentAfter(
  state: Snapshot,
  before: KnownUser["absent"] | undefined,
  needs: Needs,
): KnownUser["absent"] {
  const still = (present: { has(k: string): boolean }, keys: Iterable<string>) =>
    new Set([...keys].filter((k) => !present.has(k)));
  return {
    cells: still(state.cells, [...(before?.cells ?? []), ...needs.cells.keys()]),
    members: still(state.members, [...(before?.members ?? []), ...needs.members.keys()]),
    standing: still(state.standing, [...(before?.standing ?? []), ...needs.standing.keys()]),
  };
}

/** The user's state after a plan was written, from the state it was planned on. */
function after(snapshot: Snapshot, plan: Plan): Snapshot {
  const cells = new Map(snapshot.cells);
  for (const c of plan.cells) cells.set(cellId(c.metricId, c.windowKey), c.state);
  const members = new Set(snapshot.members);
  for (const m of plan.members) members.add(memberKey(m.metricId, m.windowKey, m.member));
  const standing = new Map(snapshot.standing);
  for (const r of plan.rows)
    standing.set(standingId(r.achievementId, r.periodKey), {
      progress: r.progress,
      completedAt: r.completed,
    });
  return { cells, members, standing };
}

/** SQLSTATE raised by `laurel_assert` (migration 0003). */
const PLAN_FAILED = "LA001";

async function replayFromDatabase(db: Database, organizationId: string, key: string, hash: string) {
  const known = await findByKey(db, organizationId, key);
  if (!known)
    throw new Conflict(
      "The idempotency key is being used by an event in progress",
      "idempotencyKey",
      "idempotency_key_in_use",
    );
  return replay(known, hash);
}

/** The event under the user's lock, in a transaction, statement by statement. */
async function underLock(
  db: Database,
  organizationId: string,
  input: NewEvent,
  now: Date,
  hash: string,
): Promise<IntakeResult> {
  return db.transaction(async (tx) => {
    const subject = await lockSubject(tx, organizationId, input.userId);
    if (!subject) throw new NotFound("User", input.userId);
    if (!subject.isActive) throw new Forbidden("The user is deactivated");
    const catalog = await catalogFor(tx, subject.tenant, subject.catalogVersion);
    return recordLocked(tx, subject.tenant, input, now, hash, catalog);
  });
}

/**
 * The first results of recently used idempotency keys, in this process: a client retrying (the usual
 * replay, seconds after the first try) is answered without a database read. A key's first result is
 * immutable once committed, so a copy cannot go stale; entries expire after ten minutes, and another
 * process simply reads the database.
 */
const recentlyRecorded = new LRUCache<string, { event: EventRow; awards: Award[] }>({
  max: 10_000,
  ttl: 10 * 60 * 1000,
});

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
      .values({ organizationId: tenant.id, userId: input.userId, ...eventValuesOf(input, now, hash) })
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
