import { createHash, randomUUID } from "node:crypto";
import { type Executor, schema } from "@laurel/db";
import {
  cellId,
  emptyNeeds,
  memberKey,
  type Needs,
  needsOf,
  type Plan,
  planScoring,
  type ScoringEvent,
  type Snapshot,
  standingId,
} from "@laurel/engine";
import { and, eq, isNotNull } from "drizzle-orm";
import { Conflict, Forbidden, NotFound } from "../errors.js";
import { lockSubject } from "./locks.js";
import type {
  AchievementRow,
  Award,
  Catalog,
  EventRow,
  EventSource,
  ProgressChange,
  Tenant,
} from "./model.js";
import { awardsOf, scoreLocked } from "./pipeline.js";
import type { IntakePath, KnownUser, Scoring } from "./state.js";
import { type NewEventRow, readStanding, type WriteRequest, type Written } from "./store.js";

const { events, userAchievements, achievements } = schema;

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
  /** How the event was taken (state.ts). */
  path: IntakePath;
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

/** The stored event's own columns, with an id made here so the plan can refer to it. */
function eventRowOf(input: NewEvent, now: Date, hash: string): NewEventRow {
  return {
    id: randomUUID(),
    type: input.type,
    value: input.value,
    attributes: input.attributes,
    occurredAt: input.occurredAt ?? now,
    idempotencyKey: input.idempotencyKey,
    payloadHash: hash,
    source: input.source,
  };
}

const scoringEventOf = (e: NewEventRow): ScoringEvent => ({
  id: e.id,
  type: e.type,
  value: e.value,
  attributes: e.attributes,
  occurredAt: e.occurredAt,
});

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
  return { event: existing.event, replayed: true, awards: existing.awards, progress: [], path: "replay" };
}

async function replayFromDatabase(db: Executor, organizationId: string, key: string, hash: string) {
  const known = await findByKey(db, organizationId, key);
  if (!known)
    throw new Conflict(
      "The idempotency key is being used by an event in progress",
      "idempotencyKey",
      "idempotency_key_in_use",
    );
  return replay(known, hash);
}

/**
 * Takes one event for a user of an organization: stores it, updates the user's metrics, judges the
 * achievements that read them and awards what completes, all or nothing. A known idempotency key
 * returns the first result and counts nothing; the same key with another payload is refused.
 *
 * Usually two statements and no transaction: one read of everything the event could need, planned
 * against this process's cached organization and catalog, then one write that succeeds only if nothing
 * touched the user in between (or no read at all, from this process's copy of the user). When something
 * did, or the caches were stale three times running, the event is taken under the user's lock: the same
 * read, plan and write in a transaction (`scoreLocked`).
 */
export async function ingest(
  scoring: Scoring,
  organizationId: string,
  input: NewEvent,
  now: Date,
): Promise<IntakeResult> {
  const hash = payloadHash(input);
  const key = input.idempotencyKey && `${organizationId}|${input.idempotencyKey}`;
  const recent = key ? scoring.recent.get(key) : undefined;
  if (recent) return count(scoring, replay(recent, hash));
  const result = await scoring.inTurn(
    userKeyOf(organizationId, input.userId),
    async () =>
      (await planned(scoring, organizationId, input, now, hash)) ??
      (await underLock(scoring, organizationId, input, now, hash)),
  );
  // Only once committed: a key's first result never changes after that.
  if (key && !scoring.recent.has(key))
    scoring.recent.set(key, { event: result.event, awards: result.awards });
  return count(scoring, result);
}

function count(scoring: Scoring, result: IntakeResult) {
  scoring.paths[result.path]++;
  return result;
}

/** A user of a tenant, as the intake's turns and copies know them. */
const userKeyOf = (organizationId: string, userId: string) => `${organizationId}|${userId}`;

const sameTenant = (a: Tenant, b: Tenant) =>
  a.timeZone === b.timeZone &&
  a.modules.length === b.modules.length &&
  a.modules.every((m, i) => m === b.modules[i]);

/** What a lock-free plan is made from: this process's copy of the user, or a read. */
type Source =
  | { kind: "state"; lockVersion: string; snapshot: Snapshot; cached?: KnownUser; base?: KnownUser }
  /** The caches were stale: they are refreshed, try again. */
  | { kind: "stale" }
  | { kind: "replay"; result: IntakeResult };

/** The lock-free intake (read, plan, guarded write); undefined when the event must be taken under the lock. */
async function planned(
  scoring: Scoring,
  organizationId: string,
  input: NewEvent,
  now: Date,
  hash: string,
): Promise<IntakeResult | undefined> {
  const event = eventRowOf(input, now, hash);
  const intent = { at: event.occurredAt, events: [scoringEventOf(event)] };
  const userKey = userKeyOf(organizationId, input.userId);
  // What the plan asked for beyond the first list (a late streak event's history, say).
  let asked: Needs | undefined;
  for (let round = 0; round < 4; round++) {
    const tenant = scoring.tenants.get(organizationId);
    const catalog = tenant && scoring.catalogs.cached(tenant);
    const needs =
      asked ?? (tenant && catalog ? needsOf(catalog, tenant.timeZone, intent, now) : emptyNeeds());
    const source = await sourceOf(scoring, organizationId, input, hash, needs, tenant, catalog);
    if (source.kind === "replay") return source.result;
    if (source.kind === "stale") {
      asked = undefined;
      continue;
    }
    const result = planScoring(catalog!, tenant!.timeZone, intent, needs, source.snapshot, now);
    if (result.kind === "read") {
      asked = result.needs;
      continue;
    }
    const plan = result.plan;
    const written = await writeGuarded(scoring, {
      organizationId,
      userId: input.userId,
      guard: { lockVersion: source.lockVersion, catalogVersion: catalog!.version, tenant: tenant! },
      event,
      plan,
      catalog: catalog!,
      at: event.occurredAt,
      now,
      notify: true,
    });
    if (written.kind !== "written") scoring.users.delete(userKey);
    // Stale by the time of the write: read afresh (a copy), or take the event under the lock (a read).
    if (written.kind === "moved") {
      if (source.cached) continue;
      return undefined;
    }
    if (written.kind === "known")
      return replayFromDatabase(scoring.db, organizationId, input.idempotencyKey!, hash);
    // A plan on history is not kept: the copy holds cells, not the events they were folded from.
    if (needs.history.size === 0) remember(scoring, userKey, source, plan, needs, catalog!, tenant!);
    else scoring.users.delete(userKey);
    return {
      event: written.event!,
      replayed: false,
      awards: awardsOf(plan, written),
      progress: plan.progress,
      path: source.cached ? "copy" : "planned",
    };
  }
  return undefined;
}

/**
 * What the plan is made from. This process's copy of the user, if it covers the needs: no read at all
 * (the write checks that the user, their organization and the catalog are as they were, or writes
 * nothing). Otherwise one read, which also says whether the key is taken and the caches are current.
 */
async function sourceOf(
  scoring: Scoring,
  organizationId: string,
  input: NewEvent,
  hash: string,
  needs: Needs,
  tenant: Tenant | undefined,
  catalog: Catalog | undefined,
): Promise<Source> {
  const known = tenant && catalog && scoring.users.get(userKeyOf(organizationId, input.userId));
  if (
    known &&
    known.catalogVersion === catalog.version &&
    sameTenant(known.tenant, tenant) &&
    covers(known, needs)
  )
    return {
      kind: "state",
      lockVersion: known.lockVersion,
      snapshot: { ...known, history: new Map() },
      cached: known,
      base: known,
    };
  const [read] = await readStanding(scoring.db, organizationId, [
    { userId: input.userId, idempotencyKey: input.idempotencyKey, needs },
  ]);
  if (read!.known)
    return {
      kind: "replay",
      result: await replayFromDatabase(scoring.db, organizationId, input.idempotencyKey!, hash),
    };
  if (!read!.found || !read!.tenant) throw new NotFound("User", input.userId);
  if (!read!.isActive) throw new Forbidden("The user is deactivated");
  if (!tenant || !sameTenant(tenant, read!.tenant)) {
    scoring.tenants.set(organizationId, read!.tenant);
    return { kind: "stale" };
  }
  if (!catalog || catalog.version !== read!.catalogVersion) {
    await scoring.catalogs.at(scoring.db, tenant, read!.catalogVersion);
    return { kind: "stale" };
  }
  // Read at the version of this process's copy (which did not cover the event): the same state, so the
  // copy learns what was read and the plan is made from it, and the copy keeps what it knew.
  const copy = scoring.users.get(userKeyOf(organizationId, input.userId));
  if (
    copy &&
    copy.lockVersion === read!.lockVersion &&
    copy.catalogVersion === catalog.version &&
    sameTenant(copy.tenant, tenant) &&
    needs.history.size === 0
  ) {
    learn(copy, read!.snapshot, needs);
    return {
      kind: "state",
      lockVersion: read!.lockVersion,
      snapshot: { ...copy, history: new Map() },
      base: copy,
    };
  }
  return { kind: "state", lockVersion: read!.lockVersion, snapshot: read!.snapshot };
}

/** The plan written with whatever other plans are ready; a plan whose award did not happen is stale. */
async function writeGuarded(scoring: Scoring, request: WriteRequest): Promise<Written> {
  try {
    return await scoring.batcher.write(request);
  } catch (error) {
    if ((error as { code?: string }).code !== PLAN_FAILED) throw error;
    return { kind: "moved" };
  }
}

/** Keeps, after a write, this process's copy of the user as the write left them. */
function remember(
  scoring: Scoring,
  userKey: string,
  source: Extract<Source, { kind: "state" }>,
  plan: Plan<AchievementRow>,
  needs: Needs,
  catalog: Catalog,
  tenant: Tenant,
) {
  const state = after(source.snapshot, plan);
  scoring.users.set(userKey, {
    ...state,
    lockVersion: String(BigInt(source.lockVersion) + 1n),
    catalogVersion: catalog.version,
    tenant,
    absent: absentAfter(state, source.base?.absent, needs),
  });
}

const covers = (known: KnownUser, needs: Needs) =>
  needs.history.size === 0 &&
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

type KnownState = Omit<Snapshot, "history">;

/** The keys still absent once `state` is written: those read absent before, and now, and not written. */
function absentAfter(
  state: KnownState,
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
function after(snapshot: Snapshot, plan: Plan<AchievementRow>): KnownState {
  const cells = new Map(snapshot.cells);
  for (const c of plan.cells) cells.set(cellId(c.metricId, c.windowKey), c.state);
  const members = new Set(snapshot.members);
  for (const m of plan.membersAdded) members.add(memberKey(m.metricId, m.windowKey, m.member));
  for (const m of plan.membersRemoved) members.delete(memberKey(m.metricId, m.windowKey, m.member));
  for (const c of plan.cellsRemoved) cells.delete(cellId(c.metricId, c.windowKey));
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

/** The event under the user's lock, in a transaction. */
async function underLock(
  scoring: Scoring,
  organizationId: string,
  input: NewEvent,
  now: Date,
  hash: string,
): Promise<IntakeResult> {
  return scoring.db.transaction(async (tx) => {
    const subject = await lockSubject(tx, organizationId, input.userId);
    if (!subject) throw new NotFound("User", input.userId);
    if (!subject.isActive) throw new Forbidden("The user is deactivated");
    const catalog = await scoring.catalogs.at(tx, subject.tenant, subject.catalogVersion);
    return recordLocked(tx, scoring, subject.tenant, input, now, { hash, catalog });
  });
}

/**
 * An event for a user whose lock the caller holds in its transaction (logging or correcting an activity,
 * attending an event, the demo's history): the same read, plan and write, with the lock as the guard.
 */
export async function recordLocked(
  tx: Executor,
  scoring: Scoring,
  tenant: Tenant,
  input: NewEvent,
  now: Date,
  options: {
    hash?: string;
    catalog?: Catalog;
    /** Events this one replaces (a corrected activity's), already marked retracted. */
    retracted?: readonly ScoringEvent[];
  } = {},
): Promise<IntakeResult> {
  const hash = options.hash ?? payloadHash(input);
  const event = eventRowOf(input, now, hash);
  const intent = { at: event.occurredAt, events: [scoringEventOf(event)], retracted: options.retracted };
  const [outcome] = await scoreLocked(
    tx,
    scoring.catalogs,
    tenant,
    [{ userId: input.userId, intent, event }],
    now,
    { catalog: options.catalog },
  );
  const result = outcome!;
  switch (result.status) {
    case "written":
      return {
        event: result.event!,
        replayed: false,
        awards: result.awards,
        progress: result.plan.progress,
        path: "locked",
      };
    case "known":
      // A twin with the same key committed between the look-up and the lock.
      return replay((await findByKey(tx, tenant.id, input.idempotencyKey!))!, hash);
    case "inactive":
      throw new Forbidden("The user is deactivated");
    default:
      throw new NotFound("User", input.userId);
  }
}

/**
 * Events withdrawn (a deleted activity's), already marked retracted, for a user whose lock the caller
 * holds: the windows they fell in are rebuilt from the events left, and what reads them judged again
 * (a lower count never takes a badge back).
 */
export async function retractLocked(
  tx: Executor,
  scoring: Scoring,
  tenant: Tenant,
  userId: string,
  retracted: readonly ScoringEvent[],
  now: Date,
): Promise<void> {
  if (retracted.length === 0) return;
  await scoreLocked(
    tx,
    scoring.catalogs,
    tenant,
    [{ userId, intent: { at: retracted[0]!.occurredAt, retracted } }],
    now,
  );
}
