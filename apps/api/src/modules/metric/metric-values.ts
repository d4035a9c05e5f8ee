import { type Executor, schema } from "@laurel/db";
import {
  distinctMember,
  effectOn,
  EMPTY_METRIC,
  fold,
  type MetricDefinition,
  type MetricEvent,
  type MetricState,
  step,
  windowKey,
  windowRange,
} from "@laurel/engine";
import { and, arrayOverlaps, eq, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";

const { metricDefinitions, metricValues, metricDistinctMembers, events } = schema;

export type MetricRow = typeof metricDefinitions.$inferSelect;
export type StoredEvent = Pick<
  typeof events.$inferSelect,
  "id" | "type" | "value" | "attributes" | "occurredAt"
>;
export type Tenant = { id: string; timeZone: string };

export function definitionOf(row: MetricRow): MetricDefinition {
  return {
    aggregation: row.aggregation,
    eventTypes: row.eventTypes,
    resetEventTypes: row.resetEventTypes,
    filter: row.filter,
    distinctAttribute: row.distinctAttribute,
    window: row.window,
    streakUnit: row.streakUnit,
  };
}

function asMetricEvent(event: StoredEvent): MetricEvent {
  return { type: event.type, value: event.value, attributes: event.attributes, occurredAt: event.occurredAt };
}

/** A tenant's active metrics: the platform's and its own. */
export function activeMetricsOf(tenantId: string) {
  return and(
    eq(metricDefinitions.isActive, true),
    or(isNull(metricDefinitions.organizationId), eq(metricDefinitions.organizationId, tenantId)),
  );
}

/** `(metric_id, window_key) in (...)`: the metric values of these cells (of the users the query names). */
export function inCells(cells: readonly { metricId: string; windowKey: string }[]): SQL {
  return sql`(${metricValues.metricId}, ${metricValues.windowKey}) in (${sql.join(
    cells.map((c) => sql`(${c.metricId}::uuid, ${c.windowKey})`),
    sql`, `,
  )})`;
}

/** The active metrics an event type feeds or resets: the platform's and the tenant's own. */
export async function metricsTouchedBy(
  db: Executor,
  tenantId: string,
  types: readonly string[],
): Promise<MetricRow[]> {
  return db
    .select()
    .from(metricDefinitions)
    .where(
      and(
        activeMetricsOf(tenantId),
        or(
          arrayOverlaps(metricDefinitions.eventTypes, [...types]),
          arrayOverlaps(metricDefinitions.resetEventTypes, [...types]),
        ),
      ),
    );
}

export type Cell = { metric: MetricRow; windowKey: string };
export const cellId = (metricId: string, key: string) => `${metricId}|${key}`;

/** The metrics of `metrics` that events of these types feed or reset. */
export function metricsFor(metrics: readonly MetricRow[], types: readonly string[]): MetricRow[] {
  return metrics.filter((m) => types.some((t) => m.eventTypes.includes(t) || m.resetEventTypes.includes(t)));
}

/** An event's effect on one metric cell; `member` is the new-member candidate of a `distinct` metric it feeds. */
export type Touch = { cell: Cell; event: StoredEvent; member: string | null };
/** A member of a `distinct` metric's cell, keyed as the intake keys it. */
export const memberKey = (metricId: string, key: string, member: string) =>
  `${cellId(metricId, key)}|${member}`;
export const memberId = (cell: Cell, member: string) => memberKey(cell.metric.id, cell.windowKey, member);

/** The metric cells new events touch, event by event: pure. */
export function touchesOf(
  metrics: readonly MetricRow[],
  newEvents: readonly StoredEvent[],
  timeZone: string,
): Touch[] {
  const touches: Touch[] = [];
  for (const event of newEvents) {
    for (const metric of metrics) {
      const definition = definitionOf(metric);
      const effect = effectOn(definition, event);
      if (!effect) continue;
      const key = windowKey(metric.window, event.occurredAt, timeZone);
      const member = effect === "feed" ? distinctMember(definition, event) : null;
      touches.push({ cell: { metric, windowKey: key }, event, member });
    }
  }
  return touches;
}

/**
 * Steps metric cells through their touches, from `stored` (absent is empty): pure. `isNewMember` says,
 * once per member, whether a `distinct` metric has not counted it yet. Cells a late streak event needs
 * recomputed from history are returned apart, unstepped.
 */
export function stepTouches(
  touches: readonly Touch[],
  stored: ReadonlyMap<string, MetricState>,
  isNewMember: (memberId: string) => boolean,
  timeZone: string,
) {
  const next = new Map<string, { cell: Cell; state: MetricState }>();
  const recompute = new Map<string, Cell>();
  for (const touch of touches) {
    const id = cellId(touch.cell.metric.id, touch.cell.windowKey);
    if (recompute.has(id)) continue;
    const current = next.get(id)?.state ?? stored.get(id) ?? EMPTY_METRIC;
    const result = step(definitionOf(touch.cell.metric), current, asMetricEvent(touch.event), {
      timeZone,
      newMember: touch.member !== null && isNewMember(memberId(touch.cell, touch.member)),
    });
    if (result.kind === "recompute") recompute.set(id, touch.cell);
    else next.set(id, { cell: touch.cell, state: result.next });
  }
  return { next, recompute };
}

/** The metrics whose value differs between `stored` and `next`. */
export function changedMetrics(
  next: ReadonlyMap<string, { cell: Cell; state: MetricState }>,
  stored: ReadonlyMap<string, MetricState>,
): Set<string> {
  const changed = new Set<string>();
  for (const [id, { cell, state }] of next) {
    if ((stored.get(id)?.value ?? 0) !== state.value) changed.add(cell.metric.id);
  }
  return changed;
}

/** Reads the stored state of metric cells for one user: one statement, whatever their number. */
export async function readCells(
  db: Executor,
  userId: string,
  cells: readonly { metricId: string; windowKey: string }[],
) {
  const found = new Map<string, MetricState>();
  if (cells.length === 0) return found;
  const rows = await db
    .select({
      metricId: metricValues.metricId,
      windowKey: metricValues.windowKey,
      value: metricValues.value,
      state: metricValues.state,
    })
    .from(metricValues)
    .where(and(eq(metricValues.userId, userId), inCells(cells)));
  for (const row of rows)
    found.set(cellId(row.metricId, row.windowKey), {
      value: row.value,
      state: row.state as MetricState["state"],
    });
  return found;
}

async function writeCells(
  db: Executor,
  tenantId: string,
  userId: string,
  cells: Map<string, { cell: Cell; state: MetricState }>,
  now: Date,
) {
  if (cells.size === 0) return;
  await db
    .insert(metricValues)
    .values(
      [...cells.values()].map(({ cell, state }) => ({
        userId,
        metricId: cell.metric.id,
        windowKey: cell.windowKey,
        organizationId: tenantId,
        value: state.value,
        state: state.state,
        updatedAt: now,
      })),
    )
    .onConflictDoUpdate({
      target: [metricValues.userId, metricValues.metricId, metricValues.windowKey],
      set: { value: sql`excluded.value`, state: sql`excluded.state`, updatedAt: sql`excluded.updated_at` },
    });
}

/**
 * Applies new events to a user's metrics, in the caller's transaction (which holds the user's lock).
 * The work is a fixed handful of statements per call: it never reads the user's event history, except
 * to recompute one window when an event arrives out of order for a streak.
 * Returns the metrics whose value changed.
 */
export async function applyEvents(
  db: Executor,
  tenant: Tenant,
  userId: string,
  newEvents: readonly StoredEvent[],
  now: Date,
  /** The tenant's cached metrics (see catalog.ts); without it they are read. */
  catalog?: { metrics: readonly MetricRow[] },
): Promise<Set<string>> {
  if (newEvents.length === 0) return new Set();
  const types = [...new Set(newEvents.map((e) => e.type))];
  const metrics = catalog ? metricsFor(catalog.metrics, types) : await metricsTouchedBy(db, tenant.id, types);
  const touches = touchesOf(metrics, newEvents, tenant.timeZone);
  if (touches.length === 0) return new Set();

  // New members of `distinct` metrics: one insert; the rows it returns are the ones not seen before.
  const memberRows = touches.filter((t) => t.member !== null);
  const newMembers = new Set<string>();
  if (memberRows.length > 0) {
    const inserted = await db
      .insert(metricDistinctMembers)
      .values(
        memberRows.map((t) => ({
          userId,
          metricId: t.cell.metric.id,
          windowKey: t.cell.windowKey,
          member: t.member!,
        })),
      )
      .onConflictDoNothing()
      .returning({
        metricId: metricDistinctMembers.metricId,
        windowKey: metricDistinctMembers.windowKey,
        member: metricDistinctMembers.member,
      });
    for (const row of inserted) newMembers.add(memberKey(row.metricId, row.windowKey, row.member));
  }

  const stored = await readCells(
    db,
    userId,
    touches.map((t) => ({ metricId: t.cell.metric.id, windowKey: t.cell.windowKey })),
  );
  const { next, recompute } = stepTouches(touches, stored, (id) => newMembers.delete(id), tenant.timeZone);
  for (const [id, cell] of recompute) next.set(id, { cell, state: await foldCell(db, tenant, userId, cell) });
  await writeCells(db, tenant.id, userId, next, now);
  return changedMetrics(next, stored);
}

/** One metric window for one user, from the events it covers. */
async function foldCell(db: Executor, tenant: Tenant, userId: string, cell: Cell): Promise<MetricState> {
  const range = windowRange(cell.windowKey, tenant.timeZone);
  const types = [...cell.metric.eventTypes, ...cell.metric.resetEventTypes];
  const rows = await db
    .select({
      id: events.id,
      type: events.type,
      value: events.value,
      attributes: events.attributes,
      occurredAt: events.occurredAt,
    })
    .from(events)
    .where(
      and(
        eq(events.userId, userId),
        inArray(events.type, types),
        isNull(events.retractedAt),
        range ? and(gte(events.occurredAt, range.start), lt(events.occurredAt, range.end)) : undefined,
      ),
    );
  return fold(definitionOf(cell.metric), rows.map(asMetricEvent), tenant.timeZone);
}

/**
 * After a correction or deletion: recomputes, for one user, the windows the retracted events fell in,
 * members of distinct metrics included. Returns the metrics whose value changed.
 */
export async function recomputeWindows(
  db: Executor,
  tenant: Tenant,
  userId: string,
  retracted: readonly StoredEvent[],
  now: Date,
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (retracted.length === 0) return changed;
  const metrics = await metricsTouchedBy(db, tenant.id, [...new Set(retracted.map((e) => e.type))]);
  const cells = new Map<string, Cell>();
  for (const event of retracted) {
    for (const metric of metrics) {
      if (!effectOn(definitionOf(metric), event)) continue;
      const key = windowKey(metric.window, event.occurredAt, tenant.timeZone);
      cells.set(cellId(metric.id, key), { metric, windowKey: key });
    }
  }
  const stored = await readCells(
    db,
    userId,
    [...cells.values()].map((c) => ({ metricId: c.metric.id, windowKey: c.windowKey })),
  );
  const next = new Map<string, { cell: Cell; state: MetricState }>();
  for (const [id, cell] of cells) {
    if (cell.metric.aggregation === "distinct") await rebuildMembers(db, tenant, userId, cell);
    const state = await foldCell(db, tenant, userId, cell);
    next.set(id, { cell, state });
    if ((stored.get(id)?.value ?? 0) !== state.value) changed.add(cell.metric.id);
  }
  await writeCells(db, tenant.id, userId, next, now);
  return changed;
}

async function rebuildMembers(db: Executor, tenant: Tenant, userId: string, cell: Cell) {
  const range = windowRange(cell.windowKey, tenant.timeZone);
  await db
    .delete(metricDistinctMembers)
    .where(
      and(
        eq(metricDistinctMembers.userId, userId),
        eq(metricDistinctMembers.metricId, cell.metric.id),
        eq(metricDistinctMembers.windowKey, cell.windowKey),
      ),
    );
  const rows = await db
    .select({
      type: events.type,
      value: events.value,
      attributes: events.attributes,
      occurredAt: events.occurredAt,
    })
    .from(events)
    .where(
      and(
        eq(events.userId, userId),
        inArray(events.type, [...cell.metric.eventTypes]),
        isNull(events.retractedAt),
        range ? and(gte(events.occurredAt, range.start), lt(events.occurredAt, range.end)) : undefined,
      ),
    );
  const definition = definitionOf(cell.metric);
  const members = new Set(
    rows
      .filter((e) => effectOn(definition, e) === "feed")
      .map((e) => distinctMember(definition, e))
      .filter((m): m is string => m !== null),
  );
  if (members.size === 0) return;
  await db
    .insert(metricDistinctMembers)
    .values(
      [...members].map((member) => ({ userId, metricId: cell.metric.id, windowKey: cell.windowKey, member })),
    )
    .onConflictDoNothing();
}
