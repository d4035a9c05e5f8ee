import { rowsOf, schema } from "@laurel/db";
import { and, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { NotConfigured, Unauthenticated } from "../../errors.js";
import { getUser, type UserRow } from "../../lib/directory.js";
import { email } from "../../lib/formats.js";
import { parseInput } from "../../validation.js";
import { sameSecret, verifyPassword } from "../../lib/password.js";
import { CODE_MAX_ATTEMPTS, CODE_TTL_MINUTES } from "./sign-in-codes.js";
import { requireUser } from "../../lib/tenancy.js";

const { users, roles, organizations, signInCodes } = schema;
const WRONG = "Wrong email or password";
const WRONG_CODE = "Wrong email or code";

const passwordSignIn = z.object({ email, password: z.string().min(1).max(256) });
const codeSignIn = z.object({
  email,
  code: z
    .string()
    .trim()
    .regex(/^\d{4,8}$/, "Codes are 4 to 8 digits"),
});

async function findByEmail(ctx: Context, address: string) {
  const [row] = await ctx.db
    .select({ user: users, isParticipant: roles.isParticipant })
    .from(users)
    .innerJoin(roles, eq(roles.id, users.roleId))
    .where(eq(sql`lower(${users.email})`, address.toLowerCase()));
  return row;
}

async function issueToken(ctx: Context, user: UserRow) {
  await ctx.db.update(users).set({ lastSignInAt: ctx.now }).where(eq(users.id, user.id));
  const { token, expiresAt } = await ctx.app.tokens.sign(user.id, user.tokenVersion, ctx.now);
  return { token, expiresAt, user: { ...user, lastSignInAt: ctx.now } };
}

/**
 * Admins and coordinators: email and password (argon2id). The attempt is counted before the password is
 * checked (throttle.ts), so simultaneous guesses cannot all slip past the limit.
 */
export async function login(ctx: Context, args: { email: string; password: string }) {
  const input = parseInput(passwordSignIn, args);
  await ctx.app.throttle.signInAttempt(input.email, ctx.address, ctx.now);
  const found = await findByEmail(ctx, input.email);
  const ok = await verifyPassword(found?.user.passwordHash ?? null, input.password);
  if (!found || !ok || !found.user.isActive) throw new Unauthenticated(WRONG);
  await ctx.app.throttle.signedIn(input.email, ctx.address, ctx.now);
  return issueToken(ctx, found.user);
}

/**
 * Participants: a one-time code, mailed. Always answers true, and does the same work whether or not the
 * email belongs to a participant: the throttle's two statements, then one statement that stores a code
 * only for a participant (and returns what the mail needs); the mail itself leaves after the answer.
 */
export async function requestSignInCode(ctx: Context, args: { email: string }): Promise<boolean> {
  const input = parseInput(z.object({ email }), args);
  const codes = ctx.app.signInCodes;
  if (codes.delivery === "unavailable") throw new NotConfigured(CODES_NOT_CONFIGURED);
  await ctx.app.throttle.codeRequest(input.email, ctx.address, ctx.now);
  const code = codes.make();
  const stored = await storeCode(ctx, input.email, codes.hash(input.email, code));
  if (stored)
    codes.deliver({ to: stored.email, code, organization: stored.organization, locale: stored.locale });
  return true;
}

const CODES_NOT_CONFIGURED =
  "Sign-in codes are not configured on this server: it has no mail transport (LAUREL_SMTP_URL). Ask your administrator.";

/**
 * Stores a code for the active participant with this email, if there is one, and returns where to send it
 * and in which language (the user's, else the organization's). One statement whether or not anyone matches.
 */
async function storeCode(ctx: Context, address: string, codeHash: string) {
  const expiresAt = new Date(ctx.now.getTime() + CODE_TTL_MINUTES * 60_000);
  // Sign-in code: insert for a matching participant and read the mail's details in the same statement.
  const [row] = await rowsOf<{ email: string; organization: string | null; locale: string | null }>(
    ctx.db.execute(sql`
    with stored as (
      insert into ${signInCodes} (user_id, code_hash, expires_at)
      select ${users.id}, ${codeHash}, ${expiresAt.toISOString()}::timestamptz
      from ${users} join ${roles} on ${roles.id} = ${users.roleId}
      where lower(${users.email}) = ${address.toLowerCase()} and ${users.isActive} and ${roles.isParticipant}
      returning user_id
    )
    select u.email, o.name as organization, coalesce(u.locale, o.locale) as locale
    from stored join ${users} u on u.id = stored.user_id
    left join ${organizations} o on o.id = u.organization_id`),
  );
  return row;
}

export async function loginWithCode(ctx: Context, args: { email: string; code: string }) {
  const input = parseInput(codeSignIn, args);
  await ctx.app.throttle.signInAttempt(input.email, ctx.address, ctx.now);
  const found = await findByEmail(ctx, input.email);
  if (
    found &&
    found.isParticipant &&
    found.user.isActive &&
    (await codeMatches(ctx, found.user.id, input.email, input.code))
  ) {
    await ctx.app.throttle.signedIn(input.email, ctx.address, ctx.now);
    return issueToken(ctx, found.user);
  }
  throw new Unauthenticated(WRONG_CODE);
}

async function codeMatches(ctx: Context, userId: string, address: string, code: string): Promise<boolean> {
  // The development code works only where it is configured, as the embedded demo does; never in production.
  const devCode = ctx.app.env.devLoginCode;
  if (devCode && sameSecret(code, devCode)) return true;
  // The guess is counted before it is compared, in the statement that checks the limit: of any number of
  // simultaneous guesses, at most CODE_MAX_ATTEMPTS are ever compared.
  const latest = ctx.db
    .select({ id: signInCodes.id })
    .from(signInCodes)
    .where(
      and(eq(signInCodes.userId, userId), isNull(signInCodes.consumedAt), gt(signInCodes.expiresAt, ctx.now)),
    )
    .orderBy(desc(signInCodes.createdAt))
    .limit(1);
  const [claimed] = await ctx.db
    .update(signInCodes)
    .set({ attempts: sql`${signInCodes.attempts} + 1` })
    .where(and(inArray(signInCodes.id, latest), lt(signInCodes.attempts, CODE_MAX_ATTEMPTS)))
    .returning({ id: signInCodes.id, codeHash: signInCodes.codeHash });
  if (!claimed || !sameSecret(claimed.codeHash, ctx.app.signInCodes.hash(address, code))) return false;
  // Consumed once: a second use of the same code finds it consumed and fails.
  const consumed = await ctx.db
    .update(signInCodes)
    .set({ consumedAt: ctx.now })
    .where(and(eq(signInCodes.id, claimed.id), isNull(signInCodes.consumedAt)))
    .returning({ id: signInCodes.id });
  return consumed.length === 1;
}

export function me(ctx: Context) {
  return getUser(ctx, requireUser(ctx).userId);
}
