import { type Database, schema } from "@laurel/db";
import { BUILT_IN_ROLES, METRIC_CATALOG } from "@laurel/engine";
import { eq, sql } from "drizzle-orm";
import type { Env } from "../env.js";
import type { Logger } from "../logger.js";
import { hashPassword } from "../lib/password.js";

const { roles, users, metricDefinitions } = schema;

/**
 * What every installation has, made idempotently at each start: the built-in roles, the shipped
 * metric definitions, and a first Global Administrator from configuration.
 */
export async function bootstrap(db: Database, env: Env, logger: Logger): Promise<void> {
  await db
    .insert(roles)
    .values(
      BUILT_IN_ROLES.map((r) => ({
        ...r,
        permissions: [...r.permissions],
        organizationId: null,
        isBuiltIn: true,
      })),
    )
    .onConflictDoUpdate({
      target: [roles.organizationId, roles.key],
      set: {
        name: sql`excluded.name`,
        description: sql`excluded.description`,
        permissions: sql`excluded.permissions`,
        isParticipant: sql`excluded.is_participant`,
        isBuiltIn: sql`true`,
      },
    });

  await db
    .insert(metricDefinitions)
    .values(
      METRIC_CATALOG.map((m) => ({
        ...m,
        organizationId: null,
        filter: m.filter ?? {},
        resetEventTypes: m.resetEventTypes ?? [],
      })),
    )
    .onConflictDoNothing({ target: [metricDefinitions.organizationId, metricDefinitions.key] });

  if (env.firstAdmin) await ensureGlobalAdmin(db, env.firstAdmin, logger);
}

async function ensureGlobalAdmin(db: Database, admin: { email: string; password: string }, logger: Logger) {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, admin.email.toLowerCase()));
  if (existing) return;
  const [role] = await db.select().from(roles).where(eq(roles.key, "global_admin"));
  await db
    .insert(users)
    .values({
      email: admin.email.toLowerCase(),
      displayName: "Global Administrator",
      roleId: role!.id,
      organizationId: null,
      passwordHash: await hashPassword(admin.password),
    })
    .onConflictDoNothing();
  logger.info(`Created the first Global Administrator: ${admin.email}`);
}
