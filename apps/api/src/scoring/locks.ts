import { type Executor, rowsOf, schema } from "@laurel/db";
import { type SQL, sql } from "drizzle-orm";
import { NotFound } from "../errors.js";
import type { Tenant } from "./model.js";

const { users, organizations, catalogVersion } = schema;

/**
 * Users' locks. Work on one user is serialized by an UPDATE of their `lock_version` (a `FOR NO KEY
 * UPDATE` row lock, which foreign-key checks of rows referencing the user do not wait for), so the
 * intake's lock-free read notices any work done under the lock since. Several users are always locked
 * in id order, so two lockers never deadlock.
 */

const lockOne = (tenantId: string, userId: string) => sql`
  update ${users} set lock_version = lock_version + 1
  where ${users.id} = ${userId} and ${users.organizationId} = ${tenantId}`;

/** The catalog version (as text: PostgreSQL's bigint, whatever the driver). */
const CATALOG_VERSION = sql`(select ${catalogVersion.version}::text from ${catalogVersion})`;

/** Locks one user of a tenant for the caller's transaction; returns the catalog version read with it. */
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
 * Locks a user (as `lockUser`) and reads with it what their standing is judged in: whether they are
 * active, their organization's zone and modules, and the catalog version. Undefined if not found.
 */
export async function lockSubject(db: Executor, organizationId: string, userId: string) {
  const [row] = await rowsOf<{ is_active: boolean; time_zone: string; modules: string[]; version: string }>(
    db.execute(sql`
      with locked as (${lockOne(organizationId, userId)} returning ${users.isActive} as is_active)
      select locked.is_active, o.time_zone, o.modules, ${CATALOG_VERSION} as version
      from locked join ${organizations} o on o.id = ${organizationId}`),
  );
  return (
    row && {
      isActive: row.is_active,
      tenant: { id: organizationId, timeZone: row.time_zone, modules: row.modules } satisfies Tenant,
      catalogVersion: Number(row.version),
    }
  );
}

/** Locks several users of a tenant at once, in id order; users that are gone are skipped. */
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
