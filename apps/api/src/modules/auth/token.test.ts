import { describe, expect, it } from "vitest";
import { TokenService, ttlSeconds } from "./token.js";

describe("tokens", () => {
  it.each([
    ["30s", 30],
    ["15m", 900],
    ["12h", 43_200],
    ["7d", 604_800],
  ])("a lifetime of %s is %i seconds", (ttl, seconds) => {
    expect(ttlSeconds(ttl)).toBe(seconds);
  });

  it("verify until they expire, and only with the key that signed them", async () => {
    const tokens = new TokenService("k".repeat(32), "1h");
    const now = new Date("2026-01-01T00:00:00Z");
    const { token, expiresAt } = await tokens.sign("user-1", 3, now);
    expect(expiresAt.toISOString()).toBe("2026-01-01T01:00:00.000Z");
    expect(await tokens.verify(token, new Date("2026-01-01T00:59:00Z"))).toEqual({
      userId: "user-1",
      version: 3,
      expiresAt,
    });
    await expect(tokens.verify(token, new Date("2026-01-01T01:00:01Z"))).rejects.toThrow(/expired/);
    await expect(new TokenService("j".repeat(32), "1h").verify(token, now)).rejects.toThrow(/Invalid token/);
  });
});
