import { schema } from "@laurel/db";
import {
  type AchievementEarned,
  isOutboxType,
  OUTBOX_TYPES,
  type ProgressChanged,
  type RewardGranted,
} from "@laurel/engine";
import { and, eq } from "drizzle-orm";
import type { Context } from "../../context.js";
import { Forbidden, invalid, NotFound } from "../../errors.js";
import { mapStream } from "../../lib/stream.js";
import { requireUser, requireViewer } from "../../lib/tenancy.js";
import { isGlobalAdmin } from "../../lib/viewer.js";
import type { Relayed } from "../../outbox/hub.js";
import { audienceOf } from "../../scoring/visibility.js";
import type { OutboxEvent } from "./live.type.js";

const { achievements, notifications, organizations, userAchievements } = schema;

/**
 * Live events: this process's hub of relayed outbox events (outbox/hub.ts), each subscriber's share of
 * them. Only committed events reach the hub (the relay announces them in the transaction that marks them
 * relayed); what reaches a subscriber is its own tenant's (or its own), shaped by the visibility rule.
 */

/**
 * Who reads an event, for what of it they may see: scoring/visibility.ts's rule over an event in hand.
 * - `keeper`: a keeper of the catalog (admins): all of it.
 * - `person`: anyone else with an account, reading events about a person (their own, in `myEvents`): a
 *   hidden achievement only through that person's completed award.
 * - `nobody`: an API key: no hidden achievement at all.
 */
type Reader = "keeper" | "person" | "nobody";

async function readerOf(ctx: Context): Promise<Reader> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return "keeper";
  return audience.userId ? "person" : "nobody";
}

async function isHidden(ctx: Context, achievementId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ isHidden: achievements.isHidden })
    .from(achievements)
    .where(eq(achievements.id, achievementId));
  // Fails closed: an achievement deleted since is not told of.
  return row?.isHidden ?? true;
}

/** The part of an event the reader may see; undefined when that is none of it. */
async function visiblePart(ctx: Context, reader: Reader, event: Relayed): Promise<Relayed | undefined> {
  if (reader === "keeper") return event;
  switch (event.type) {
    case "achievement.earned":
      // Its holder just earned it: a person sees their own hidden award; an API key sees none.
      return reader === "nobody" && (event.data as AchievementEarned).achievement.hidden ? undefined : event;
    case "progress.changed": {
      const data = event.data as ProgressChanged;
      const changes = data.changes.filter((c) => !c.hidden || (reader === "person" && c.completed));
      if (changes.length === 0) return undefined;
      return changes.length === data.changes.length ? event : { ...event, data: { ...data, changes } };
    }
    case "reward.granted": {
      const { achievementId } = event.data as RewardGranted;
      return reader === "nobody" && (await isHidden(ctx, achievementId)) ? undefined : event;
    }
    default:
      return event;
  }
}

/** The event types asked for (all when none), each checked against the catalogue. */
function typeFilter(types: readonly string[] | null | undefined): (type: string) => boolean {
  if (!types) return () => true;
  types.forEach((type, i) => {
    if (!isOutboxType(type))
      throw invalid(
        `types.${i}`,
        "event_type",
        `${type} is not an event type; the types are ${OUTBOX_TYPES.join(", ")}`,
      );
  });
  const wanted = new Set<string>(types);
  return (type) => wanted.has(type);
}

/** The signed-in user's own events: their awards, progress, rewards, Wrapped and calculations. */
export async function myEvents(ctx: Context, types: readonly string[] | null | undefined) {
  const viewer = requireUser(ctx);
  const wanted = typeFilter(types);
  const reader = await readerOf(ctx);
  const own = ctx.app.outbox.hub.subscribe(
    (e) => e.userId === viewer.userId && e.organizationId === viewer.organizationId && wanted(e.type),
  );
  return mapStream(own, (event) => visiblePart(ctx, reader, event));
}

/** The organization whose events the viewer follows: their own; a Global Administrator names one. */
async function followed(ctx: Context, requested: string | null | undefined): Promise<string> {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) {
    if (!requested)
      throw invalid(
        "organizationId",
        "required",
        "organizationId is required: name the organization to follow",
      );
    const [org] = await ctx.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, requested));
    if (!org) throw new NotFound("Organization", requested);
    return org.id;
  }
  if (!viewer.organizationId) throw new Forbidden("You belong to no organization");
  if (requested && requested !== viewer.organizationId)
    throw new Forbidden("You can only follow your own organization's events");
  return viewer.organizationId;
}

/** Every event of one organization (admins, API keys with read:events), as the viewer may see them. */
export async function organizationEvents(
  ctx: Context,
  args: { types?: readonly string[] | null; organizationId?: string | null },
) {
  const wanted = typeFilter(args.types);
  const organizationId = await followed(ctx, args.organizationId);
  const reader = await readerOf(ctx);
  const theirs = ctx.app.outbox.hub.subscribe((e) => e.organizationId === organizationId && wanted(e.type));
  return mapStream(theirs, (event) => visiblePart(ctx, reader, event));
}

/** An event as the schema's OutboxEvent, with achievement.earned's payload typed. */
export function toOutboxEvent(event: Relayed): OutboxEvent {
  const earned = event.type === "achievement.earned" ? (event.data as AchievementEarned) : null;
  return {
    id: event.id,
    type: event.type,
    organizationId: event.organizationId,
    userId: event.userId,
    occurredAt: new Date(event.occurredAt),
    data: event.data as unknown as Record<string, unknown>,
    earned: earned && {
      achievement: earned.achievement,
      periodKey: earned.periodKey,
      earnedAt: new Date(earned.earnedAt),
      userAchievementId: earned.userAchievementId,
      triggeringEventId: earned.triggeringEventId,
      grantedById: earned.grantedById,
    },
  };
}

/** The award an achievement.earned event tells of, as it is now (its achievement, points and rewards). */
export async function awardOf(ctx: Context, event: OutboxEvent) {
  if (!event.earned) return null;
  const [row] = await ctx.db
    .select()
    .from(userAchievements)
    .where(
      and(
        eq(userAchievements.id, event.earned.userAchievementId),
        eq(userAchievements.organizationId, event.organizationId),
      ),
    );
  return row ?? null;
}

/** The notification written with the award an event tells of: only to the person it is for. */
export async function notificationOf(ctx: Context, event: OutboxEvent) {
  const viewer = requireViewer(ctx);
  if (!event.earned || viewer.kind !== "user" || viewer.userId !== event.userId) return null;
  const [row] = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userAchievementId, event.earned.userAchievementId),
        eq(notifications.userId, viewer.userId),
      ),
    );
  return row ?? null;
}
