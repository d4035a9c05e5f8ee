import { type Executor, schema } from "@laurel/db";
import { SYSTEM_EVENTS } from "@laurel/engine";
import { and, desc, eq, gte, inArray, isNull, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden, invalid, NotFound } from "../../errors.js";
import { countRows, selectPage } from "../../lib/crud.js";
import { getUser, tenantOf } from "../../lib/directory.js";
import type { ListArgs } from "../../lib/list.js";
import { ownRows, requireUser } from "../../lib/tenancy.js";
import { markYearsChanged } from "../../scoring/year-figures.js";
import { parseInput } from "../../validation.js";
import { recordLocked, retractLocked } from "../../scoring/intake.js";
import { lockUser } from "../../scoring/locks.js";
import type { Tenant } from "../../scoring/model.js";
import { visibleOutcome } from "../../scoring/visibility.js";
import { eventFields } from "../../lib/formats.js";
import type { ActivityFilter, LogActivityArgs, UpdateActivityArgs } from "./activity.input.js";
import { textLimit } from "../../lib/limits.js";

const { activities, events, eventAttendances } = schema;
export type ActivityRow = typeof activities.$inferSelect;

const fields = (now: Date) => ({
  activityTypeId: z.string().uuid(),
  durationMinutes: z.number().refine((m) => Number.isInteger(m) && m >= 0 && m <= 1440, {
    message: "durationMinutes is 0 to 1440",
    params: { rule: "duration_range" },
  }),
  contactRef: z.string().trim().max(textLimit("contactRef")).nullish(),
  notes: z.string().max(textLimit("notes")).nullish(),
  ...eventFields(now),
});

/** Whose activity: your own with `log:activities`, anyone's in your organization with `ingest:events`. */
async function subject(ctx: Context, userId: string | undefined) {
  const viewer = requireUser(ctx);
  const targetId = userId ?? viewer.userId;
  if (targetId === viewer.userId) {
    if (!viewer.permissions.has("log:activities"))
      throw new Forbidden("Logging activities needs log:activities", "log:activities");
  } else if (!viewer.permissions.has("ingest:events")) {
    throw new Forbidden("Logging for someone else needs ingest:events", "ingest:events");
  }
  const user = await getUser(ctx, targetId);
  return { user, tenant: await tenantOf(ctx, user.organizationId) };
}

async function activityType(ctx: Context, tenantId: string, id: string) {
  const type = await ctx.loaders.activityType.load(id);
  if (!type || type.organizationId !== tenantId || !type.isActive) {
    throw invalid(
      "activityTypeId",
      "activity_type_valid",
      "Pick one of your organization's active activity types",
    );
  }
  return type;
}

function activityEvent(activity: ActivityRow, typeSlug: string) {
  return {
    userId: activity.userId,
    type: SYSTEM_EVENTS.activityLogged,
    value: activity.durationMinutes / 60,
    attributes: { activity_type: typeSlug, ...(activity.contactRef ? { contact: activity.contactRef } : {}) },
    occurredAt: activity.occurredAt,
    // No key: each version of an activity gets its own event, linked from the activity row; a correction
    // retracts the old one and records a new one.
    idempotencyKey: null,
    source: "activity" as const,
  };
}

/**
 * An activity's event recorded for its user (whose lock the caller holds), replacing `retracted` (the
 * events of its earlier version), and linked from the activity.
 */
async function recordActivity(
  tx: Executor,
  ctx: Context,
  tenant: Tenant,
  activity: ActivityRow,
  typeSlug: string,
  retracted: readonly (typeof events.$inferSelect)[],
) {
  const event = activityEvent(activity, typeSlug);
  const result = await recordLocked(tx, ctx.app.scoring, tenant, event, ctx.now, { retracted });
  const [linked] = await tx
    .update(activities)
    .set({ eventId: result.event.id })
    .where(eq(activities.id, activity.id))
    .returning();
  return { activity: linked!, awards: result.awards, progress: result.progress };
}

export async function logActivity(ctx: Context, args: LogActivityArgs) {
  const input = parseInput(z.object(fields(ctx.now)), args);
  const { user, tenant } = await subject(ctx, args.userId);
  const type = await activityType(ctx, tenant.id, input.activityTypeId);
  const viewer = requireUser(ctx);
  const outcome = await ctx.db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, user.id);
    const [activity] = await tx
      .insert(activities)
      .values({
        organizationId: tenant.id,
        userId: user.id,
        activityTypeId: type.id,
        occurredAt: input.occurredAt ?? ctx.now,
        durationMinutes: input.durationMinutes,
        contactRef: input.contactRef || null,
        notes: input.notes ?? null,
        createdById: viewer.userId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    const outcome = await recordActivity(tx, ctx, tenant, activity!, type.slug, []);
    await markYearsChanged(tx, tenant, user.id, [activity!.occurredAt], ctx.now);
    return outcome;
  });
  // What the viewer may see of the awards and progress (visibility.ts).
  return visibleOutcome(ctx, outcome);
}

export async function getActivity(ctx: Context, id: string): Promise<ActivityRow> {
  const [row] = await ctx.db
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), ownRows(ctx, activities.organizationId)));
  const viewer = requireUser(ctx);
  const mine = row?.userId === viewer.userId;
  if (
    !row ||
    (!mine && !viewer.permissions.has("read:progress") && !viewer.permissions.has("ingest:events"))
  ) {
    throw new NotFound("Activity", id);
  }
  return row;
}

/** May the viewer change this activity: their own, or anyone's with `ingest:events`. */
function assertCanChange(ctx: Context, activity: ActivityRow) {
  const viewer = requireUser(ctx);
  if (activity.deletedAt) throw invalid("id", "activity_deleted", "This activity was deleted");
  if (
    activity.userId === viewer.userId
      ? !viewer.permissions.has("log:activities")
      : !viewer.permissions.has("ingest:events")
  ) {
    throw new Forbidden("You cannot change this activity");
  }
}

/** Marks an activity's event retracted; returns it, or nothing if it had none or it was already. */
async function retract(tx: Executor, activity: ActivityRow, now: Date) {
  if (!activity.eventId) return [];
  return tx
    .update(events)
    .set({ retractedAt: now })
    .where(and(eq(events.id, activity.eventId), isNull(events.retractedAt)))
    .returning();
}

export async function updateActivity(ctx: Context, args: UpdateActivityArgs) {
  const existing = await getActivity(ctx, args.id);
  assertCanChange(ctx, existing);
  const { id: _id, ...changes } = args;
  const input = parseInput(
    z.object(fields(ctx.now)).partial(),
    Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
  );
  const tenant = await tenantOf(ctx, existing.organizationId);
  const type = await activityType(ctx, tenant.id, input.activityTypeId ?? existing.activityTypeId);
  const outcome = await ctx.db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, existing.userId);
    // The old event out and the new one in, in one change of the user's standing.
    const retracted = await retract(tx, existing, ctx.now);
    const [updated] = await tx
      .update(activities)
      .set({
        activityTypeId: type.id,
        durationMinutes: input.durationMinutes ?? existing.durationMinutes,
        occurredAt: input.occurredAt ?? existing.occurredAt,
        contactRef: input.contactRef === undefined ? existing.contactRef : input.contactRef || null,
        notes: input.notes === undefined ? existing.notes : input.notes,
        updatedAt: ctx.now,
      })
      .where(eq(activities.id, existing.id))
      .returning();
    const outcome = await recordActivity(tx, ctx, tenant, updated!, type.slug, retracted);
    await markYearsChanged(tx, tenant, existing.userId, [existing.occurredAt, updated!.occurredAt], ctx.now);
    return outcome;
  });
  // What the viewer may see of the awards and progress (visibility.ts).
  return visibleOutcome(ctx, outcome);
}

/** Soft-deletes: the row stays for the record; its event is retracted and the metrics recomputed. */
export async function deleteActivity(ctx: Context, id: string) {
  const existing = await getActivity(ctx, id);
  assertCanChange(ctx, existing);
  const tenant = await tenantOf(ctx, existing.organizationId);
  return ctx.db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, existing.userId);
    await retractLocked(
      tx,
      ctx.app.scoring,
      tenant,
      existing.userId,
      await retract(tx, existing, ctx.now),
      ctx.now,
    );
    const [deleted] = await tx
      .update(activities)
      .set({ deletedAt: ctx.now, updatedAt: ctx.now })
      .where(eq(activities.id, existing.id))
      .returning();
    await markYearsChanged(tx, tenant, existing.userId, [existing.occurredAt], ctx.now);
    return deleted!;
  });
}

export async function attendEvent(
  ctx: Context,
  args: { eventRef: string; eventName: string; attendedAt?: Date | null; userId?: string },
) {
  const input = parseInput(
    z.object({
      eventRef: z.string().trim().min(1).max(textLimit("eventRef")),
      eventName: z.string().trim().min(1).max(textLimit("eventName")),
      ...eventFields(ctx.now),
    }),
    { eventRef: args.eventRef, eventName: args.eventName, occurredAt: args.attendedAt },
  );
  const { user, tenant } = await subject(ctx, args.userId);
  const outcome = await ctx.db.transaction(async (tx) => {
    await lockUser(tx, tenant.id, user.id);
    const [attendance] = await tx
      .insert(eventAttendances)
      .values({
        organizationId: tenant.id,
        userId: user.id,
        eventRef: input.eventRef,
        eventName: input.eventName,
        attendedAt: input.occurredAt ?? ctx.now,
      })
      .onConflictDoNothing({ target: [eventAttendances.userId, eventAttendances.eventRef] })
      .returning();
    if (!attendance) {
      const [existing] = await tx
        .select()
        .from(eventAttendances)
        .where(and(eq(eventAttendances.userId, user.id), eq(eventAttendances.eventRef, input.eventRef)));
      return { attendance: existing!, replayed: true, awards: [] };
    }
    const result = await recordLocked(
      tx,
      ctx.app.scoring,
      tenant,
      {
        userId: user.id,
        type: SYSTEM_EVENTS.eventAttended,
        value: null,
        attributes: { event: input.eventRef },
        occurredAt: attendance.attendedAt,
        idempotencyKey: `attendance:${attendance.id}`,
        source: "attendance",
      },
      ctx.now,
    );
    await tx
      .update(eventAttendances)
      .set({ eventId: result.event.id })
      .where(eq(eventAttendances.id, attendance.id));
    await markYearsChanged(tx, tenant, user.id, [attendance.attendedAt], ctx.now);
    return { attendance, replayed: false, awards: result.awards };
  });
  // What the viewer may see of the awards and progress (visibility.ts).
  return visibleOutcome(ctx, outcome);
}

function whereOf(ctx: Context, filter: ActivityFilter = {}): SQL | undefined {
  const viewer = requireUser(ctx);
  const staff = viewer.permissions.has("read:progress");
  return and(
    ownRows(ctx, activities.organizationId),
    staff ? undefined : eq(activities.userId, viewer.userId),
    filter.userId ? eq(activities.userId, filter.userId) : undefined,
    filter.activityTypeId ? eq(activities.activityTypeId, filter.activityTypeId) : undefined,
    filter.ids ? inArray(activities.id, filter.ids) : undefined,
    filter.from ? gte(activities.occurredAt, filter.from) : undefined,
    filter.to ? lt(activities.occurredAt, filter.to) : undefined,
    filter.includeDeleted ? undefined : isNull(activities.deletedAt),
  );
}

const sortable = {
  id: activities.id,
  occurredAt: activities.occurredAt,
  durationMinutes: activities.durationMinutes,
  createdAt: activities.createdAt,
};

export const activityList = {
  list: (ctx: Context, args: ListArgs, filter?: ActivityFilter) =>
    selectPage(
      ctx.db,
      activities,
      whereOf(ctx, filter),
      { sortOrder: "DESC", ...args },
      sortable,
      "occurredAt",
    ),
  count: (ctx: Context, filter?: ActivityFilter) => countRows(ctx.db, activities, whereOf(ctx, filter)),
};

export function recentActivities(ctx: Context, limit: number) {
  const viewer = requireUser(ctx);
  return ctx.db
    .select()
    .from(activities)
    .where(and(eq(activities.userId, viewer.userId), isNull(activities.deletedAt)))
    .orderBy(desc(activities.occurredAt))
    .limit(Math.min(Math.max(limit, 1), 200));
}
