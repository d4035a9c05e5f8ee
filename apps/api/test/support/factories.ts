import { randomBytes } from "node:crypto";
import { type Database, schema } from "@laurel/db";
import { and, eq, isNull } from "drizzle-orm";
import { hashPassword } from "../../src/lib/password.js";
import type { TestApi } from "./server.js";

export const PASSWORD = "correct horse battery staple";

/** A suffix that keeps each test's rows apart from every other's in a shared database. */
export function unique(prefix = ""): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

export type BuiltInRoleKey = "global_admin" | "org_admin" | "coordinator" | "peer_mentor" | "player";

export async function builtInRoleId(db: Database, key: BuiltInRoleKey): Promise<string> {
  const [role] = await db
    .select({ id: schema.roles.id })
    .from(schema.roles)
    .where(and(eq(schema.roles.key, key), isNull(schema.roles.organizationId)));
  return role!.id;
}

export async function makeOrganization(
  db: Database,
  values: Partial<typeof schema.organizations.$inferInsert> = {},
) {
  const slug = values.slug ?? unique("org-");
  const [row] = await db
    .insert(schema.organizations)
    .values({ name: `Organization ${slug}`, slug, modules: ["achievements-gamification"], ...values })
    .returning();
  return row!;
}

let passwordHash: Promise<string> | undefined;

export async function makeUser(
  db: Database,
  options: {
    organizationId: string | null;
    role: BuiltInRoleKey | { id: string };
    email?: string;
    password?: boolean;
  },
) {
  passwordHash ??= hashPassword(PASSWORD);
  const roleId = typeof options.role === "string" ? await builtInRoleId(db, options.role) : options.role.id;
  const [row] = await db
    .insert(schema.users)
    .values({
      email: options.email ?? `${unique("user-")}@example.test`,
      displayName: `User ${unique()}`,
      organizationId: options.organizationId,
      roleId,
      passwordHash: options.password === false ? null : await passwordHash,
    })
    .returning();
  return row!;
}

export async function signIn(api: TestApi, email: string, password = PASSWORD): Promise<string> {
  const data = await api.ok<{ login: { token: string } }>(
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  return data.login.token;
}

/** A signed-in user of a role, in an organization. */
export async function actor(
  api: TestApi,
  organizationId: string | null,
  role: BuiltInRoleKey | { id: string },
) {
  const user = await makeUser(api.database.db, { organizationId, role });
  return { user, token: await signIn(api, user.email) };
}

/** A tenant with its admin signed in; more actors are made on demand. */
export async function makeTenant(
  api: TestApi,
  values: Partial<typeof schema.organizations.$inferInsert> = {},
) {
  const organization = await makeOrganization(api.database.db, values);
  const admin = await actor(api, organization.id, "org_admin");
  return {
    organization,
    admin,
    as: (role: BuiltInRoleKey | { id: string }) => actor(api, organization.id, role),
  };
}
