import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import type { Context } from "../context.js";
import { Forbidden, NotFound } from "../errors.js";
import { canSee } from "./tenancy.js";
import type { ScoringTenant } from "@laurel/engine";

/**
 * Look-ups by id of the rows every module reaches (a user, their role and organization, an achievement,
 * a metric), each as the viewer may see it: any other id is "not found", so ids of other tenants leak
 * nothing.
 */
const { metricDefinitions: metrics } = schema;
export type UserRow = typeof schema.users.$inferSelect;
export type RoleRow = typeof schema.roles.$inferSelect;
export type OrganizationRow = typeof schema.organizations.$inferSelect;
export type { AchievementRow, MetricRow } from "./rows.js";
import type { AchievementRow, MetricRow } from "./rows.js";

export async function getUser(ctx: Context, id: string): Promise<UserRow> {
  const row = await ctx.loaders.user.load(id);
  if (!row || !canSee(ctx, row.organizationId)) throw new NotFound("User", id);
  return row;
}

export async function getRole(ctx: Context, id: string): Promise<RoleRow> {
  const row = await ctx.loaders.role.load(id);
  if (!row || !canSee(ctx, row.organizationId, true)) throw new NotFound("Role", id);
  return row;
}

export async function getOrganization(ctx: Context, id: string): Promise<OrganizationRow> {
  const row = await ctx.loaders.organization.load(id);
  if (!row || !canSee(ctx, row.id)) throw new NotFound("Organization", id);
  return row;
}

/** An achievement the viewer may see (tenancy and visibility.ts: the loader is scoped by both). */
export async function getAchievement(ctx: Context, id: string): Promise<AchievementRow> {
  const row = await ctx.loaders.achievement.load(id);
  if (!row) throw new NotFound("Achievement", id);
  return row;
}

export async function getMetric(ctx: Context, id: string): Promise<MetricRow> {
  const [row] = await ctx.db.select().from(metrics).where(eq(metrics.id, id));
  if (!row || !canSee(ctx, row.organizationId, true)) throw new NotFound("Metric", id);
  return row;
}

/** The tenant whose badges a user of `organizationId` earns: what scoring needs, and how to show it. */
export async function tenantOf(
  ctx: Context,
  organizationId: string | null,
): Promise<ScoringTenant & { locale: string; currency: string }> {
  if (!organizationId) throw new Forbidden("Badges belong to an organization's members");
  const org = await getOrganization(ctx, organizationId);
  return {
    id: org.id,
    timeZone: org.timeZone,
    modules: org.modules,
    locale: org.locale,
    currency: org.currency,
  };
}
