import { isIPv4, isIPv6 } from "node:net";
import type { Database } from "@laurel/db";
import { schema } from "@laurel/db";
import { eq, type SQL, sql } from "drizzle-orm";
import { TooManyAttempts } from "../../errors.js";

const { rateLimits } = schema;

/**
 * How one counter slows its key down: the first `free` attempts pass at once; after that each attempt
 * must wait `baseMs`, doubled for every further one, at most `capMs`, after the one before. Once a delay
 * has run out, the count drains by one every `leakMs`, so failures spread over time (a school's typos
 * behind one address) never add up to a lock-out.
 */
export type Policy = { free: number; baseMs: number; capMs: number; leakMs: number };

/** A key is forgotten this long after its last delay ran out with no attempt since. */
export const FORGET_MS = 15 * 60_000;

/** How long an address an account signed in from stays known to it (see `signInAttempt`). */
export const KNOWN_MS = 30 * 24 * 3600_000;

export type ThrottleOptions = { maxFailures: number; maxDelaySeconds: number };

/** The rules, from the two numbers an operator sets (LAUREL_SIGN_IN_MAX_FAILURES and _MAX_DELAY_SECONDS). */
export function policies({ maxFailures, maxDelaySeconds }: ThrottleOptions) {
  const maxDelayMs = maxDelaySeconds * 1000;
  return {
    /** One account from one address: the guesser's own counter, so its delays may grow long. */
    pair: { free: maxFailures, baseMs: 1000, capMs: maxDelayMs, leakMs: 5 * 60_000 },
    /** One account from anywhere: short delays only, so an attacker slows the real user down, never locks them out. */
    account: { free: maxFailures * 4, baseMs: 1000, capMs: Math.min(60_000, maxDelayMs), leakMs: 60_000 },
    /** One client address (an IPv6 /64) over every account (a password sprayer). */
    address: { free: maxFailures * 10, baseMs: 1000, capMs: maxDelayMs, leakMs: 60_000 },
    /** Codes mailed to one address: a few at once, then a minute, two, four ... up to five (nobody's mailbox is flooded, nobody kept from a code long). */
    codeEmail: { free: 3, baseMs: 60_000, capMs: Math.min(5 * 60_000, maxDelayMs), leakMs: 10 * 60_000 },
    /** Code requests from one client address. */
    codeAddress: { free: 30, baseMs: 1000, capMs: 60_000, leakMs: 60_000 },
  } satisfies Record<string, Policy>;
}

/** The delay after the `n`th counted attempt, in milliseconds (the same rule as `delaySql`). */
export function delayMs(policy: Policy, n: number): number {
  if (n < policy.free) return 0;
  return Math.min(policy.baseMs * 2 ** Math.min(n - policy.free, 40), policy.capMs);
}

/**
 * The key a client address is counted under: an IPv4 address as it is (also when written IPv4-mapped), an
 * IPv6 address by its /64, the smallest network one subscriber is given: whoever holds one holds 2^64
 * addresses, and would otherwise get fresh counters for every guess.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  let back = tail === undefined ? [] : groups(tail);
  const last = back.at(-1) ?? groups(head).at(-1);
  // An embedded IPv4 address (::1.2.3.4) is the last two groups.
  if (last && last.includes(".")) {
    const bytes = last.split(".").map(Number);
    const embedded = [(bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!].map((n) => n.toString(16));
    if (tail === undefined) return addressKey([...groups(head).slice(0, -1), ...embedded].join(":"));
    back = [...back.slice(0, -1), ...embedded];
  }
  const front = groups(head);
  const all = [...front, ...Array<string>(8 - front.length - back.length).fill("0"), ...back];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

/** `delayMs` in SQL; the policy's numbers are written into the statement (they are ours, not input). */
function delaySql(policy: Policy, n: SQL) {
  const [free, base, cap] = [policy.free, policy.baseMs, policy.capMs].map((v) =>
    sql.raw(String(Math.trunc(v))),
  );
  return sql`(case when ${n} < ${free} then 0
    else least(${base}::float8 * power(2::float8, least(${n} - ${free}, 40)), ${cap}) end)`;
}

/**
 * Slows down guessing without letting anyone lock a real user out. Each attempt is counted before the
 * slow work it guards (argon2, a code check, a mail) by one statement that counts it and decides at once,
 * so simultaneous attempts cannot all pass a check that none has counted yet. Counters live in the
 * database, so every API process shares them, and run on the application's clock.
 *
 * A sign-in is counted for the account from this address, then for the account, then for the address,
 * stopping at the first that refuses: an attacker's refused guesses cost the account nothing.
 */
export class SignInThrottle {
  readonly rules: ReturnType<typeof policies>;

  constructor(
    private readonly db: Database,
    options: ThrottleOptions,
  ) {
    this.rules = policies(options);
  }

  /**
   * Counts a sign-in attempt (password or code); `TOO_MANY_ATTEMPTS` with a retry time if it must wait.
   * An address the account signed in from in the last 30 days skips the account's own counter: an
   * attacker spraying the account from elsewhere slows down newcomers to it, not its owner at home.
   */
  async signInAttempt(email: string, address: string, now: Date): Promise<void> {
    const account = email.toLowerCase();
    const from = addressKey(address);
    await this.count(`sign-in:pair:${account}|${from}`, this.rules.pair, now);
    if (!(await this.known(account, from, now)))
      await this.count(`sign-in:account:${account}`, this.rules.account, now);
    await this.count(`sign-in:address:${from}`, this.rules.address, now);
  }

  /**
   * A sign-in succeeded: the account's counters start over, its address becomes known to it, and the
   * address gets back the attempt it was charged, with no delay left to wait (many real users may share it).
   */
  async signedIn(email: string, address: string, now: Date): Promise<void> {
    const account = email.toLowerCase();
    const from = addressKey(address);
    await this.db.delete(rateLimits).where(eq(rateLimits.key, `sign-in:pair:${account}|${from}`));
    await this.db.delete(rateLimits).where(eq(rateLimits.key, `sign-in:account:${account}`));
    const knownUntil = new Date(now.getTime() + KNOWN_MS);
    await this.db
      .insert(rateLimits)
      .values({ key: `sign-in:known:${account}|${from}`, points: 0, expire: knownUntil })
      .onConflictDoUpdate({ target: rateLimits.key, set: { expire: knownUntil } });
    await this.db
      .update(rateLimits)
      .set({
        points: sql`greatest(${rateLimits.points} - 1, 0)`,
        expire: sql`least(${rateLimits.expire}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(rateLimits.key, `sign-in:address:${from}`));
  }

  private async known(account: string, from: string, now: Date): Promise<boolean> {
    const [row] = await this.db
      .select({ expire: rateLimits.expire })
      .from(rateLimits)
      .where(eq(rateLimits.key, `sign-in:known:${account}|${from}`));
    return !!row?.expire && row.expire > now;
  }

  /** Counts a request for a sign-in code, whether or not the email exists. */
  async codeRequest(email: string, address: string, now: Date): Promise<void> {
    await this.count(`code-request:email:${email.toLowerCase()}`, this.rules.codeEmail, now);
    await this.count(`code-request:address:${addressKey(address)}`, this.rules.codeAddress, now);
  }

  /**
   * Counts one attempt on `key`, or refuses it while the key's delay runs. One statement: the upsert locks
   * the row, its `where` sees the latest count, and a refused attempt changes nothing and returns no row.
   * PostgreSQL and PGlite both run it atomically (PGlite runs one statement at a time anyway).
   */
  private async count(key: string, policy: Policy, now: Date): Promise<void> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const forgotten = sql`${rateLimits.expire} + ${FORGET_MS} * interval '1 millisecond' <= ${at}`;
    // Points drain once the key's delay has run out: one every leakMs since the last counted attempt
    // (which was the delay of the stored count before `expire`).
    const leaked = sql`(case when ${rateLimits.expire} < ${at}
      then floor((extract(epoch from (${at} - ${rateLimits.expire})) * 1000
        + ${delaySql(policy, sql`${rateLimits.points}`)}) / ${sql.raw(String(policy.leakMs))})
      else 0 end)`;
    const n = sql`(case when ${forgotten} then 1 else greatest(${rateLimits.points} - ${leaked}, 0)::int + 1 end)`;
    // Sign-in throttle: count the attempt unless the key must still wait.
    const counted = await this.db
      .insert(rateLimits)
      .values({ key, points: 1, expire: new Date(now.getTime() + delayMs(policy, 1)) })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { points: n, expire: sql`${at} + ${delaySql(policy, n)} * interval '1 millisecond'` },
        // Refused only while a delay runs: the first `free` attempts never wait, whatever the clocks say.
        setWhere: sql`${rateLimits.points} < ${sql.raw(String(policy.free))} or ${rateLimits.expire} <= ${at}`,
      })
      .returning({ points: rateLimits.points });
    if (counted.length > 0) return;
    const [row] = await this.db
      .select({ expire: rateLimits.expire })
      .from(rateLimits)
      .where(eq(rateLimits.key, key));
    const waitMs = (row?.expire?.getTime() ?? now.getTime()) - now.getTime();
    throw new TooManyAttempts(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}
