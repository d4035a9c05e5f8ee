import { randomInt } from "node:crypto";
import { schema } from "@laurel/db";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Unauthenticated } from "../../errors.js";
import { email } from "../../lib/formats.js";
import { parseInput } from "../../validation.js";
import { getUser, type UserRow } from "../user/user.service.js";
import { sameSecret, sha256, verifyPassword } from "./password.js";
import { requireUser } from "../../lib/tenancy.js";

const { users, roles, signInCodes } = schema;

const CODE_TTL_MS = 10 * 60 * 1000;
const CODE_MAX_ATTEMPTS = 5;
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
  const { token, expiresAt } = await ctx.app.tokens.sign(user.id, ctx.now);
  return { token, expiresAt, user: { ...user, lastSignInAt: ctx.now } };
}

/** Admins and coordinators: email and password (argon2id). Failures are counted and slowed down. */
export async function login(ctx: Context, args: { email: string; password: string }) {
  const input = parseInput(passwordSignIn, args);
  await ctx.app.throttle.check(input.email, ctx.address);
  const found = await findByEmail(ctx, input.email);
  const ok = await verifyPassword(found?.user.passwordHash ?? null, input.password);
  if (!found || !ok || !found.user.isActive) {
    await ctx.app.throttle.fail(input.email, ctx.address);
    throw new Unauthenticated(WRONG);
  }
  await ctx.app.throttle.succeed(input.email);
  return issueToken(ctx, found.user);
}

/**
 * Participants: a one-time code. Always answers true, so it tells nobody which emails exist.
 * Outside production the code is written to the log; a mail transport is the operator's to add.
 */
export async function requestSignInCode(ctx: Context, args: { email: string }): Promise<boolean> {
  const input = parseInput(z.object({ email }), args);
  await ctx.app.throttle.check(input.email, ctx.address);
  const found = await findByEmail(ctx, input.email);
  if (!found || !found.isParticipant || !found.user.isActive) return true;
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await ctx.db.insert(signInCodes).values({
    userId: found.user.id,
    codeHash: sha256(`${found.user.id}:${code}`),
    expiresAt: new Date(ctx.now.getTime() + CODE_TTL_MS),
  });
  if (!ctx.app.env.production) ctx.app.logger.info(`Sign-in code for ${input.email}: ${code}`);
  return true;
}

export async function loginWithCode(ctx: Context, args: { email: string; code: string }) {
  const input = parseInput(codeSignIn, args);
  await ctx.app.throttle.check(input.email, ctx.address);
  const found = await findByEmail(ctx, input.email);
  if (
    found &&
    found.isParticipant &&
    found.user.isActive &&
    (await codeMatches(ctx, found.user.id, input.code))
  ) {
    await ctx.app.throttle.succeed(input.email);
    return issueToken(ctx, found.user);
  }
  await ctx.app.throttle.fail(input.email, ctx.address);
  throw new Unauthenticated(WRONG_CODE);
}

async function codeMatches(ctx: Context, userId: string, code: string): Promise<boolean> {
  // The development code works only where it is configured, as the embedded demo does; never in production.
  const devCode = ctx.app.env.devLoginCode;
  if (devCode && sameSecret(code, devCode)) return true;
  const [latest] = await ctx.db
    .select()
    .from(signInCodes)
    .where(
      and(eq(signInCodes.userId, userId), isNull(signInCodes.consumedAt), gt(signInCodes.expiresAt, ctx.now)),
    )
    .orderBy(desc(signInCodes.createdAt))
    .limit(1);
  if (!latest || latest.attempts >= CODE_MAX_ATTEMPTS) return false;
  if (!sameSecret(latest.codeHash, sha256(`${userId}:${code}`))) {
    await ctx.db
      .update(signInCodes)
      .set({ attempts: sql`${signInCodes.attempts} + 1` })
      .where(eq(signInCodes.id, latest.id));
    return false;
  }
  // Consumed once: a second use of the same code finds it consumed and fails.
  const consumed = await ctx.db
    .update(signInCodes)
    .set({ consumedAt: ctx.now })
    .where(and(eq(signInCodes.id, latest.id), isNull(signInCodes.consumedAt)))
    .returning({ id: signInCodes.id });
  return consumed.length === 1;
}

export function me(ctx: Context) {
  return getUser(ctx, requireUser(ctx).userId);
}
