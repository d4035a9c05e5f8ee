import type { Database } from "@laurel/db";
import { schema } from "@laurel/db";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyAttempts } from "../../errors.js";

/**
 * Slows down guessing: after `maxFailures` failed sign-ins for one email (or many from one address)
 * within the window, further attempts are refused until it passes. Counters live in the database,
 * so every API process shares them.
 */
export class SignInThrottle {
  private readonly byEmail: RateLimiterDrizzle;
  private readonly byAddress: RateLimiterDrizzle;

  constructor(db: Database, options: { maxFailures: number; blockSeconds: number }) {
    const common = { storeClient: db, schema: schema.rateLimits, clearExpiredByTimeout: false };
    this.byEmail = new RateLimiterDrizzle({
      ...common,
      keyPrefix: "sign-in:email",
      points: options.maxFailures,
      duration: options.blockSeconds,
    });
    this.byAddress = new RateLimiterDrizzle({
      ...common,
      keyPrefix: "sign-in:address",
      points: options.maxFailures * 10,
      duration: options.blockSeconds,
    });
  }

  /** Refuses at once while the email or address is blocked. */
  async check(email: string, address: string): Promise<void> {
    const [forEmail, forAddress] = await Promise.all([
      this.byEmail.get(email.toLowerCase()),
      this.byAddress.get(address),
    ]);
    for (const [res, limit] of [
      [forEmail, this.byEmail.points],
      [forAddress, this.byAddress.points],
    ] as const) {
      if (res && res.consumedPoints >= limit) throw new TooManyAttempts(Math.ceil(res.msBeforeNext / 1000));
    }
  }

  async fail(email: string, address: string): Promise<void> {
    await Promise.all([
      this.byEmail.consume(email.toLowerCase()).catch(ignoreLimit),
      this.byAddress.consume(address).catch(ignoreLimit),
    ]);
  }

  async succeed(email: string): Promise<void> {
    await this.byEmail.delete(email.toLowerCase());
  }
}

function ignoreLimit(error: unknown): void {
  if (!(error instanceof RateLimiterRes)) throw error;
}
