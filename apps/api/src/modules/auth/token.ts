import { errors, jwtVerify, SignJWT } from "jose";
import { Unauthenticated } from "../../errors.js";

const ISSUER = "laurel";
const AUDIENCE = "laurel-api";
const ALGORITHM = "HS256";

/**
 * `version`: the user's token version when the token was given (claim `ver`; 0 for tokens without it);
 * `expiresAt`: when it ends (claim `exp`), which a live subscription's socket is closed at.
 */
export type TokenClaims = { userId: string; version: number; expiresAt: Date };

/** Signed, expiring bearer tokens (JWT, HS256) for signed-in users. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(userId: string, version: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ ver: version })
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds(this.ttl))
      .sign(this.key);
    return { token, expiresAt: new Date((issuedAt + ttlSeconds(this.ttl)) * 1000) };
  }

  /** The claims of a valid token; `UNAUTHENTICATED` for an expired, tampered or foreign one. */
  async verify(token: string, now: Date): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now,
        requiredClaims: ["sub", "exp", "iat"],
      });
      const version = payload.ver ?? 0;
      if (typeof version !== "number" || !Number.isInteger(version)) throw new TypeError("bad ver claim");
      return { userId: payload.sub!, version, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new Unauthenticated("Your session has expired: sign in again");
      throw new Unauthenticated("Invalid token: sign in again");
    }
  }
}

export function ttlSeconds(ttl: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(ttl);
  if (!match) throw new TypeError(`Bad duration: ${ttl}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}
