import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, emptyTextArray, id, timestamptz, updatedAt } from "./columns.js";
import { organizations } from "./organization.js";

/**
 * A named set of permissions. Built-in roles are platform-wide (`organization_id` NULL);
 * an organization admin may add roles of their own organization.
 */
export const roles = pgTable(
  "roles",
  {
    id: id(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    permissions: text("permissions").array().notNull().default(emptyTextArray),
    /** Holders are participants (peer mentors, players): they earn badges and get Wrapped. */
    isParticipant: boolean("is_participant").notNull().default(false),
    isBuiltIn: boolean("is_built_in").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("roles_org_key_key").on(t.organizationId, t.key).nullsNotDistinct(),
    check("roles_key_format", sql`${t.key} ~ '^[a-z][a-z0-9_]*$'`),
    check("roles_name_not_empty", sql`length(btrim(${t.name})) > 0`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: id(),
    /** NULL only for a Global Administrator who belongs to no organization. */
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "restrict" }),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    /** Argon2id hash; NULL for users who sign in with a one-time code only. */
    passwordHash: text("password_hash"),
    locale: text("locale"),
    isActive: boolean("is_active").notNull().default(true),
    /** The person turned off Laurel's emails about awards and Wrapped (sign-in codes still come). */
    emailOptOut: boolean("email_opt_out").notNull().default(false),
    lastSignInAt: timestamptz("last_sign_in_at"),
    /**
     * Moved on by everything that takes the user's lock (`lockUser`, `lockUsers`, the intake's write), so
     * the intake can plan an event from one lock-free read and write it in one statement that only
     * succeeds if nothing was done to the user in between (see apps/api/src/scoring/statements.ts).
     */
    lockVersion: bigint("lock_version", { mode: "number" }).notNull().default(0),
    /**
     * Carried in every token this user is given (claim `ver`); moved on by a change of password or role,
     * a deactivation and `signOutEverywhere`, which refuses every token given before.
     */
    tokenVersion: integer("token_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    // Target of the composite foreign keys that keep a row's tenant equal to its user's.
    unique("users_id_org_key").on(t.id, t.organizationId),
    index("users_org_role_idx").on(t.organizationId, t.roleId),
    check("users_email_format", sql`${t.email} ~ '^[^@\\s]+@[^@\\s]+$'`),
    check("users_display_name_not_empty", sql`length(btrim(${t.displayName})) > 0`),
  ],
);

/** A secret for a tenant's backend. Only a SHA-256 of the secret is kept; `prefix` identifies it in lists. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    permissions: text("permissions").array().notNull().default(emptyTextArray),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamptz("last_used_at"),
    expiresAt: timestamptz("expires_at"),
    revokedAt: timestamptz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    index("api_keys_org_idx").on(t.organizationId),
  ],
);

/** One-time sign-in codes for participants. Only a hash of the code is kept. */
export const signInCodes = pgTable(
  "sign_in_codes",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    consumedAt: timestamptz("consumed_at"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("sign_in_codes_user_idx").on(t.userId, t.createdAt)],
);

/**
 * The sign-in throttle's counters (throttle.ts), shared by every API process: `points` attempts counted
 * since the key was last forgotten, `expire` the time before which its next attempt is refused.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamptz("expire"),
});

export const rolesRelations = relations(roles, ({ one, many }) => ({
  organization: one(organizations, { fields: [roles.organizationId], references: [organizations.id] }),
  users: many(users),
}));

export const usersRelations = relations(users, ({ one }) => ({
  organization: one(organizations, { fields: [users.organizationId], references: [organizations.id] }),
  role: one(roles, { fields: [users.roleId], references: [roles.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  organization: one(organizations, { fields: [apiKeys.organizationId], references: [organizations.id] }),
}));
