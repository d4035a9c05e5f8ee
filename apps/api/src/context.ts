import type { Database, Driver } from "@laurel/db";
import { schema } from "@laurel/db";
import { isPermission, type Permission } from "@laurel/engine";
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Request } from "express";
import type { Clock } from "./clock.js";
import type { Env } from "./env.js";
import { type Issue, Unauthenticated } from "./errors.js";
import { createLoaders, type LoaderScopes, type Loaders } from "./loaders.js";
import type { Logger } from "./logger.js";
import type { BackgroundJobs } from "./scoring/backfill.js";
import type { Dispatcher } from "./outbox/dispatcher.js";
import type { MailTransport } from "./mail.js";
import type { OutboxHub } from "./outbox/hub.js";
import type { Mailer } from "./outbox/mailer.js";
import type { PeopleLinks } from "./outbox/opt-out.js";
import type { Relay } from "./outbox/relay.js";
import type { WebhookSecrets } from "./outbox/secrets.js";
import type { NatsOutbound } from "./transport/nats-out.js";
import type { Scoring } from "./scoring/state.js";
import { sha256 } from "./lib/password.js";
import type { SignInCodes } from "./modules/auth/sign-in-codes.js";
import type { SignInThrottle } from "./modules/auth/throttle.js";
import type { TokenService } from "./modules/auth/token.js";
import type { Viewer } from "./lib/viewer.js";

/** What lives as long as the process: shared by every request. */
export type AppServices = {
  env: Env;
  db: Database;
  driver: Driver;
  clock: Clock;
  logger: Logger;
  tokens: TokenService;
  throttle: SignInThrottle;
  /** The process's one mail transport (LAUREL_SMTP_URL), for sign-in codes and people's emails; none if unset. */
  mail: MailTransport | undefined;
  /** Participants' one-time codes: their hashing key and their delivery (mail, or the log in development). */
  signInCodes: SignInCodes;
  /** The scoring layer's state in this process: catalogs, users' copies, replays, the write queue. */
  scoring: Scoring;
  /**
   * What a viewer may see of achievements and rules (scoring/visibility.ts, wired in by createServer):
   * the loaders of rows reached through other rows obey it too.
   */
  visibility: { [K in keyof LoaderScopes]: (ctx: Context) => ReturnType<LoaderScopes[K]> };
  /** Background work (backfills) started in this process. */
  jobs: BackgroundJobs;
  /**
   * What Laurel tells the world: the relay of committed outbox rows to webhooks, email and NATS, the
   * webhook dispatcher and the mailer of people's emails (main.ts starts them), this process's hub of
   * relayed events for live subscriptions, the sealing of webhook signing secrets, the NATS publisher
   * (LAUREL_NATS_URL), and the links in emails.
   */
  outbox: {
    hub: OutboxHub;
    relay: Relay;
    dispatcher: Dispatcher;
    secrets: WebhookSecrets;
    mailer: Mailer;
    nats: NatsOutbound | undefined;
    links: PeopleLinks;
  };
};

/** One request's context: who is calling, its loaders, and the warnings to return beside the data. */
export type Context = {
  app: AppServices;
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  warnings: Issue[];
  /** The client's address, for sign-in throttling: behind a trusted proxy (LAUREL_TRUST_PROXY), from X-Forwarded-For. */
  address: string;
  now: Date;
};

export async function createContext(app: AppServices, req: Request): Promise<Context> {
  const ctx = contextOf(app, null, req.ip ?? "unknown");
  ctx.viewer = (await resolveSession(app, credentialsOf(req), ctx.now, ctx.loaders))?.viewer ?? null;
  return ctx;
}

/**
 * A context for a caller already known: a live subscription's socket (transport/websocket.ts), whose
 * credentials were checked when it connected, makes one per subscription and per event it sends.
 */
export function contextOf(app: AppServices, viewer: Viewer | null, address: string): Context {
  const loaders = createLoaders(app.db, {
    achievements: () => app.visibility.achievements(ctx),
    rules: () => app.visibility.rules(ctx),
  });
  const ctx: Context = { app, db: app.db, viewer, loaders, warnings: [], address, now: app.clock.now() };
  return ctx;
}

/**
 * What a caller presents, as HTTP headers name it: `Authorization: Bearer <token>`, or an API key as
 * `X-Api-Key: <key>` or `Authorization: ApiKey <key>`. `header` reads one by its lower-case name.
 */
export type Credentials = { authorization: string; apiKey: string };

export function credentialsFrom(header: (name: string) => string | undefined): Credentials {
  const authorization = header("authorization") ?? "";
  const apiKey =
    header("x-api-key") ??
    (/^apikey\s+/i.test(authorization) ? authorization.replace(/^apikey\s+/i, "") : "");
  return { authorization, apiKey: apiKey.trim() };
}

const credentialsOf = (req: Request) => credentialsFrom((name) => req.get(name));

/** The API key a request presents (`X-Api-Key: …` or `Authorization: ApiKey …`), or "" for none. */
export function apiKeyOf(req: Request): string {
  return credentialsOf(req).apiKey;
}

/** A caller, and when what they presented stops working (a token's or an API key's expiry; null: never). */
export type Session = { viewer: Viewer; expiresAt: Date | null };

function toPermissions(values: readonly string[]): ReadonlySet<Permission> {
  return new Set(values.filter(isPermission));
}

/**
 * Who presents these credentials at `now`: null for none, UNAUTHENTICATED for ones that do not hold (an
 * expired or foreign token, a session ended, a deactivated user, an unknown, revoked or expired key).
 * The one rule for HTTP requests and WebSocket connections alike.
 */
export async function resolveSession(
  app: AppServices,
  credentials: Credentials,
  now: Date,
  loaders: Loaders,
): Promise<Session | null> {
  if (credentials.apiKey) return resolveApiKey(app, credentials.apiKey, now, loaders);
  const header = credentials.authorization;
  if (!/^bearer\s+/i.test(header)) return null;
  const claims = await app.tokens.verify(header.replace(/^bearer\s+/i, "").trim(), now);
  const [row] = await app.db
    .select({ user: schema.users, role: schema.roles, organization: schema.organizations })
    .from(schema.users)
    .innerJoin(schema.roles, eq(schema.roles.id, schema.users.roleId))
    .leftJoin(schema.organizations, eq(schema.organizations.id, schema.users.organizationId))
    .where(eq(schema.users.id, claims.userId));
  // A deleted or deactivated user loses access at once, whatever their token says.
  if (!row || !row.user.isActive) throw new Unauthenticated("This account is no longer active");
  // Tokens given before a change of password or role, or a sign-out everywhere, end at once. The row is
  // read on every request anyway, so the check costs nothing and needs no cache.
  if (row.user.tokenVersion !== claims.version) {
    throw new Unauthenticated("This session has ended: sign in again");
  }
  // The same statement brought the user and their organization: the loaders need not fetch them again.
  loaders.user.prime(row.user.id, row.user);
  if (row.organization) loaders.organization.prime(row.organization.id, row.organization);
  const viewer: Viewer = {
    kind: "user",
    userId: row.user.id,
    organizationId: row.user.organizationId,
    roleId: row.role.id,
    roleKey: row.role.key,
    permissions: toPermissions(row.role.permissions),
    isParticipant: row.role.isParticipant,
  };
  return { viewer, expiresAt: claims.expiresAt };
}

async function resolveApiKey(
  app: AppServices,
  secret: string,
  now: Date,
  loaders: Loaders,
): Promise<Session> {
  const { apiKeys, organizations } = schema;
  const [found] = await app.db
    .select({ key: apiKeys, organization: organizations })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .where(
      and(
        eq(apiKeys.secretHash, sha256(secret)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      ),
    );
  if (!found) throw new Unauthenticated("Invalid API key");
  const { key } = found;
  const session = { viewer: viewerOfKey(key), expiresAt: key.expiresAt };
  // The same statement brought the key's organization, which what it may see depends on (its modules).
  loaders.organization.prime(found.organization.id, found.organization);
  // Recorded at most once a minute, so a busy backend does not write (or even ask) on every event; the
  // guard in the statement keeps two processes from both writing the same minute.
  const minuteAgo = new Date(now.getTime() - 60_000);
  if (key.lastUsedAt && key.lastUsedAt >= minuteAgo) return session;
  await app.db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, minuteAgo))));
  return session;
}

function viewerOfKey(key: typeof schema.apiKeys.$inferSelect): Viewer {
  return {
    kind: "apiKey",
    apiKeyId: key.id,
    organizationId: key.organizationId,
    permissions: toPermissions(key.permissions),
  };
}
