import { schema } from "@laurel/db";
import type { Permission } from "@laurel/engine";
import { and, type Column, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.js";
import { canSee, requireViewer, visibleRows } from "../lib/tenancy.js";
import { isGlobalAdmin } from "../lib/viewer.js";
import { availableTo } from "./catalog.js";
import type { AchievementRow, Award, ProgressChange } from "./model.js";

const { achievements, achievementRules, userAchievements } = schema;

/**
 * Which achievement definitions a viewer may read: the same idea as tenancy (lib/tenancy.ts), one level
 * down, and in this one place. Every read path (lists, look-ups, loaders, badges, awards, notifications,
 * ledger, dashboard, backfill runs, the results of logging an activity or reporting an event) asks here.
 *
 * - Keepers of the catalog (Global Administrators, and users of a non-participant role holding one of
 *   `CATALOG_PERMISSIONS`) see every achievement of their tenant and the platform's, as tenancy allows.
 * - Everyone else (participants, API keys, other roles) sees what they could earn or have earned: an
 *   achievement of their organization or the platform's, active, not gated by a module their organization
 *   lacks (seed 000's module_gate and inactive_not_awarded), and, when hidden, only once they hold a
 *   completed award of it (seed 001). An API key is no one: it never sees a hidden achievement.
 *
 * Rules follow the achievements that use them: an earner sees a rule only when one of the achievements it
 * sees links it.
 */
export const CATALOG_PERMISSIONS: readonly Permission[] = [
  "create:achievementDefinitions",
  "update:achievementDefinitions",
  "delete:achievementDefinitions",
  "create:achievementRules",
  "update:achievementRules",
  "delete:achievementRules",
  "grant:achievements",
  "read:progress",
];

export type Audience =
  | { kind: "catalog" }
  | {
      kind: "earner";
      /** The earner's organization; NULL (unreachable for earners) sees nothing. */
      organizationId: string | null;
      modules: readonly string[];
      /** Whose awards reveal hidden achievements; NULL for an API key. */
      userId: string | null;
    };

const audiences = new WeakMap<Context, Promise<Audience>>();

/** The viewer's audience, worked out once per request. */
export function audienceOf(ctx: Context): Promise<Audience> {
  let audience = audiences.get(ctx);
  if (!audience) {
    audience = resolveAudience(ctx);
    audiences.set(ctx, audience);
  }
  return audience;
}

async function resolveAudience(ctx: Context): Promise<Audience> {
  const viewer = requireViewer(ctx);
  if (isGlobalAdmin(viewer)) return { kind: "catalog" };
  if (
    viewer.kind === "user" &&
    !viewer.isParticipant &&
    CATALOG_PERMISSIONS.some((p) => viewer.permissions.has(p))
  )
    return { kind: "catalog" };
  // The organization is in the loader already: primed when the viewer was resolved.
  const org = viewer.organizationId ? await ctx.loaders.organization.load(viewer.organizationId) : null;
  return earner(
    { id: org?.id ?? null, modules: org?.modules ?? [] },
    viewer.kind === "user" ? viewer.userId : null,
  );
}

/**
 * The audience for one user's badges as the viewer reads them (userProgress). A keeper of the catalog sees
 * them all. Anyone else sees what that user could earn or has earned, within the viewer's organization and
 * modules: a hidden achievement only through that user's completed award, never the viewer's own (which
 * would name a hidden badge the user has not earned, and hide one they have). An API key is no one: still
 * no hidden achievement.
 */
export async function audienceAbout(ctx: Context, userId: string): Promise<Audience> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog" || audience.userId === null) return audience;
  return earner({ id: audience.organizationId, modules: audience.modules }, userId);
}

/** A user as an earner of their own organization's badges, whatever their role (their own badge catalog). */
export function earner(tenant: { id: string | null; modules: readonly string[] }, userId: string | null) {
  return { kind: "earner", organizationId: tenant.id, modules: tenant.modules, userId } as const;
}

/** A completed award of the achievement row in the outer query, held by `userId`. */
function earnedBy(userId: string): SQL {
  return sql`exists (select 1 from ${userAchievements} ua
    where ua.achievement_id = "achievements"."id" and ua.user_id = ${userId} and ua.completed_at is not null)`;
}

/** The rule as SQL over `achievements` (unaliased): the rows `audience` may see. */
export function achievementsVisibleTo(ctx: Context, audience: Audience): SQL | undefined {
  return audience.kind === "catalog" ? visibleRows(ctx, achievements.organizationId) : earnerSees(audience);
}

function earnerSees(audience: Extract<Audience, { kind: "earner" }>): SQL {
  if (!audience.organizationId) return sql`false`;
  return and(
    availableTo({ id: audience.organizationId, modules: [...audience.modules] }),
    audience.userId
      ? or(eq(achievements.isHidden, false), earnedBy(audience.userId))
      : eq(achievements.isHidden, false),
  )!;
}

/**
 * What every reader of a tenant's rows may see, an API key included: for text stored once for all of
 * them (the badge a Wrapped story names).
 */
export function visibleToEveryone(tenant: { id: string; modules: readonly string[] }): SQL {
  return earnerSees(earner(tenant, null));
}

/** The same rule over a row in hand (the results of the intake, which must not cost a statement). */
export function sees(ctx: Context, audience: Audience, a: AchievementRow, earned: boolean): boolean {
  if (audience.kind === "catalog") return canSee(ctx, a.organizationId, true);
  if (!audience.organizationId) return false;
  return (
    (a.organizationId === null || a.organizationId === audience.organizationId) &&
    a.isActive &&
    (a.requiresModule === null || audience.modules.includes(a.requiresModule)) &&
    (!a.isHidden || earned)
  );
}

/** The viewer's visible achievements: a condition on `achievements`. */
export async function visibleAchievements(ctx: Context): Promise<SQL | undefined> {
  return achievementsVisibleTo(ctx, await audienceOf(ctx));
}

/** The ids of the achievements `audience` may see, as a subquery (not awaited: it is a statement's part). */
function idsVisibleTo(ctx: Context, audience: Audience) {
  return ctx.db
    .select({ id: achievements.id })
    .from(achievements)
    .where(achievementsVisibleTo(ctx, audience));
}

/** A condition on a column holding an achievement id (awards, backfill runs): none, or a visible one. */
export async function ofVisibleAchievement(ctx: Context, column: Column): Promise<SQL | undefined> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return undefined;
  return or(isNull(column), inArray(column, idsVisibleTo(ctx, audience)));
}

/**
 * A condition on a column holding an award's id (notifications, the reward ledger, which name the
 * achievement): rows of no award, or of an award of a visible achievement.
 */
export async function ofVisibleAward(ctx: Context, column: Column): Promise<SQL | undefined> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return undefined;
  return or(
    isNull(column),
    inArray(
      column,
      ctx.db
        .select({ id: userAchievements.id })
        .from(userAchievements)
        .where(inArray(userAchievements.achievementId, idsVisibleTo(ctx, audience))),
    ),
  );
}

/** The viewer's visible rules: a condition on `achievement_rules`. */
export async function visibleRules(ctx: Context): Promise<SQL | undefined> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return visibleRows(ctx, achievementRules.organizationId);
  return sql`exists (select 1 from achievement_rule_links l join ${achievements} on "achievements"."id" = l.achievement_id
    where l.rule_id = "achievement_rules"."id" and ${achievementsVisibleTo(ctx, audience)})`;
}

/**
 * The awards and progress of an intake (an event reported, an activity logged) as the viewer may see them.
 * Every achievement in them comes from the tenant's catalog, so the rows are at hand: no statement.
 * Progress of an achievement not at hand is left out (fails closed).
 */
export async function visibleOutcome<T extends { awards: Award[]; progress?: ProgressChange[] }>(
  ctx: Context,
  result: T,
): Promise<T> {
  const audience = await audienceOf(ctx);
  if (audience.kind === "catalog") return result;
  const awards = result.awards.filter((award) =>
    sees(ctx, audience, award.achievement, award.userId === audience.userId && award.completedAt !== null),
  );
  if (!result.progress) return { ...result, awards };
  const awarded = new Set(awards.map((a) => a.achievementId));
  const catalog = audience.organizationId
    ? ctx.app.scoring.catalogs.cached({ id: audience.organizationId, modules: [...audience.modules] })
    : undefined;
  const progress = result.progress.filter((p) => {
    if (p.completed) return awarded.has(p.achievementId);
    const entry = catalog?.byId.get(p.achievementId);
    return entry !== undefined && sees(ctx, audience, entry.achievement, false);
  });
  return { ...result, awards, progress };
}
