import type { RequestHandler } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { apiKeyOf } from "../../context.js";
import type { Env } from "../../env.js";
import { RateLimited } from "../../errors.js";
import { sha256 } from "../../lib/password.js";

/**
 * Each API key's requests, counted before any other work (no body parsed, no database asked): `burst`
 * requests per window of `burst / perSecond` seconds, so `perSecond` on average and `burst` at once.
 * Over it: HTTP 429 with `Retry-After` and a GraphQL error coded `RATE_LIMITED`, so one tenant's backend
 * cannot take the whole intake from the others.
 *
 * Counted in memory, per API process: the intake is the hot path, and a shared counter would cost a
 * round trip per event. Behind a load balancer, a key's limit is the per-process one times the processes.
 * Keys are counted by their hash, so no secret stays in memory.
 */
export function apiKeyRateLimit(rate: Env["apiKeyRate"]): RequestHandler {
  if (rate.perSecond === 0) return (_req, _res, next) => next();
  const limiter = new RateLimiterMemory({
    keyPrefix: "api-key",
    points: rate.burst,
    duration: rate.burst / rate.perSecond,
  });
  return (req, res, next) => {
    const key = apiKeyOf(req);
    if (!key) return next();
    limiter.consume(sha256(key)).then(
      () => next(),
      (rejected: unknown) => {
        if (!(rejected instanceof RateLimiterRes)) return next(rejected);
        const seconds = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
        const error = new RateLimited(seconds);
        res
          .status(429)
          .setHeader("Retry-After", String(seconds))
          .json({ errors: [{ message: error.message, extensions: error.extensions }] });
      },
    );
  };
}
