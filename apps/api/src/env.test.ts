import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.js";

// `openssl rand -base64 48`, as the README says to make one.
const secret = "hQc29lEAg7FD5aIEROXHwdsU3yom+9ihli+eynXK5OQErD7yd7NVeFCqfMEAP4qO";

function problems(vars: Record<string, string>): string[] {
  try {
    loadEnv(vars);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

describe("configuration", () => {
  it("has working defaults outside production, with the embedded database", () => {
    const dir = mkdtempSync(join(tmpdir(), "laurel-env-"));
    const env = loadEnv({ LAUREL_DATA_DIR: join(dir, "data") });
    expect(env).toMatchObject({
      production: false,
      port: 4000,
      databaseUrl: undefined,
      devLoginCode: undefined,
      introspection: true,
      playground: true,
    });
    // A development secret is made once and kept beside the data.
    expect(env.tokenSecret).toBe(readFileSync(join(dir, "token-secret"), "utf8"));
    expect(loadEnv({ LAUREL_DATA_DIR: join(dir, "data") }).tokenSecret).toBe(env.tokenSecret);
  });

  it("requires a token secret in production and refuses the development code and demo there", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      expect.stringMatching(/^LAUREL_TOKEN_SECRET: is required/),
    ]);
    expect(
      problems({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: secret, LAUREL_DEV_LOGIN_CODE: "12345" }),
    ).toEqual([expect.stringMatching(/^LAUREL_DEV_LOGIN_CODE: /)]);
    expect(problems({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: secret, LAUREL_DEMO: "true" })).toEqual([
      expect.stringMatching(/^LAUREL_DEMO: /),
    ]);
    const env = loadEnv({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: secret });
    expect(env).toMatchObject({
      production: true,
      introspection: false,
      playground: false,
      devLoginCode: undefined,
    });
    expect(
      loadEnv({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: secret, LAUREL_PLAYGROUND: "on" }).playground,
    ).toBe(true);
  });

  it("keys webhook secrets with LAUREL_WEBHOOK_KEY, else the token secret, and refuses private receivers unless told", () => {
    const other = "pX8v2mQk7Lr3TnWz9YhB4cJf6GdE1sAa0uVyIoKqNlMbRtZe5xCwHjUgSiOpDfLk";
    const fallback = loadEnv({ LAUREL_TOKEN_SECRET: secret });
    expect(fallback.webhooks).toEqual({ key: `token-secret:${secret}`, allowPrivate: false });
    const own = loadEnv({
      LAUREL_TOKEN_SECRET: secret,
      LAUREL_WEBHOOK_KEY: other,
      LAUREL_WEBHOOK_ALLOW_PRIVATE: "true",
    });
    expect(own.webhooks).toEqual({ key: `webhook-key:${other}`, allowPrivate: true });
    expect(problems({ LAUREL_WEBHOOK_KEY: "short" })).toEqual([
      expect.stringMatching(/^LAUREL_WEBHOOK_KEY: must be at least 32/),
    ]);
    expect(
      problems({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: secret, LAUREL_WEBHOOK_KEY: "a".repeat(40) }),
    ).toEqual([expect.stringMatching(/^LAUREL_WEBHOOK_KEY: is too weak for production/)]);
  });

  it("names each bad variable and its rule", () => {
    expect(
      problems({
        PORT: "eighty",
        LAUREL_TOKEN_SECRET: "short",
        DATABASE_URL: "not a url",
        LAUREL_TOKEN_TTL: "forever",
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^LAUREL_TOKEN_SECRET: must be at least 32/),
        expect.stringMatching(/^DATABASE_URL: /),
        expect.stringMatching(/^LAUREL_TOKEN_TTL: /),
      ]),
    );
    expect(problems({ LAUREL_TOKEN_SECRET: secret, LAUREL_ADMIN_EMAIL: "root@example.test" })).toEqual([
      expect.stringMatching(/^LAUREL_ADMIN_PASSWORD: /),
    ]);
  });

  describe("the token secret's strength in production", () => {
    const production = (value: string) => problems({ NODE_ENV: "production", LAUREL_TOKEN_SECRET: value });

    it("refuses secrets that are long but easy to guess, saying how to make one", () => {
      for (const weak of [
        "x".repeat(64),
        "a".repeat(200),
        `${"a".repeat(63)}b`,
        "abcdefghijklmnop".repeat(4),
        "0123456789abcdef".repeat(8),
        "Secret1!".repeat(12),
        // The length check's minimum, and what the test helpers used.
        "test-secret-that-is-long-enough-0123456789",
        "s".repeat(40),
      ]) {
        expect(production(weak), weak).toEqual([
          expect.stringMatching(
            /^LAUREL_TOKEN_SECRET: is too weak for production: about \d+ bits of entropy where 256 are needed .*openssl rand -base64 48/,
          ),
        ]);
      }
    });

    it("takes what a random generator makes, every time", () => {
      for (let i = 0; i < 500; i++) {
        expect(production(randomBytes(48).toString("base64"))).toEqual([]);
        expect(production(randomBytes(48).toString("base64url"))).toEqual([]);
        expect(production(randomBytes(48).toString("hex"))).toEqual([]);
      }
    });

    it("leaves development and tests as they were: 32 characters", () => {
      expect(problems({ NODE_ENV: "test", LAUREL_TOKEN_SECRET: "x".repeat(32) })).toEqual([]);
      expect(problems({ LAUREL_TOKEN_SECRET: "x".repeat(32) })).toEqual([]);
    });
  });

  it("reads LAUREL_TRUST_PROXY in Express's forms and refuses anything else", () => {
    const trust = (value?: string) =>
      loadEnv({ LAUREL_TOKEN_SECRET: secret, ...(value === undefined ? {} : { LAUREL_TRUST_PROXY: value }) })
        .trustProxy;
    expect(trust()).toBe(false);
    expect(trust("false")).toBe(false);
    expect(trust("true")).toBe(true);
    expect(trust("2")).toBe(2);
    expect(trust("loopback, 10.0.0.0/8")).toEqual(["loopback", "10.0.0.0/8"]);
    expect(trust("192.168.0.1,fc00::/7,10.0.0.0/255.0.0.0")).toEqual([
      "192.168.0.1",
      "fc00::/7",
      "10.0.0.0/255.0.0.0",
    ]);
    for (const bad of ["yes please", "10.0.0.0/33", "10.0.0", "loopback,,", "::1/129", "proxy.example.org"]) {
      expect(problems({ LAUREL_TOKEN_SECRET: secret, LAUREL_TRUST_PROXY: bad })).toEqual([
        expect.stringMatching(/^LAUREL_TRUST_PROXY: /),
      ]);
    }
  });

  it("takes an smtp:// or smtps:// mail transport, with a sender", () => {
    const base = { LAUREL_TOKEN_SECRET: secret };
    expect(loadEnv(base).mail).toBeUndefined();
    expect(
      loadEnv({
        ...base,
        LAUREL_SMTP_URL: "smtps://u:p@mail.example.org:465",
        LAUREL_MAIL_FROM: "Laurel <a@b.c>",
      }).mail,
    ).toEqual({ smtpUrl: "smtps://u:p@mail.example.org:465", from: "Laurel <a@b.c>" });
    expect(problems({ ...base, LAUREL_SMTP_URL: "smtp://127.0.0.1:2525" })).toEqual([
      expect.stringMatching(/^LAUREL_MAIL_FROM: is required/),
    ]);
    expect(
      problems({ ...base, LAUREL_SMTP_URL: "https://mail.example.org", LAUREL_MAIL_FROM: "a@b.c" }),
    ).toEqual([expect.stringMatching(/^LAUREL_SMTP_URL: must start with smtp/)]);
  });

  it("takes a public address for the links in people's emails: localhost outside production, none in production unless set", () => {
    const base = { LAUREL_TOKEN_SECRET: secret };
    expect(loadEnv({ ...base, PORT: "4100" }).publicUrl).toBe("http://localhost:4100");
    expect(loadEnv({ ...base, LAUREL_PUBLIC_URL: "https://laurel.example.org/" }).publicUrl).toBe(
      "https://laurel.example.org",
    );
    expect(loadEnv({ ...base, NODE_ENV: "production" }).publicUrl).toBeUndefined();
    for (const bad of ["laurel.example.org", "ftp://laurel.example.org"]) {
      const found = problems({ ...base, LAUREL_PUBLIC_URL: bad });
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((p) => p.startsWith("LAUREL_PUBLIC_URL: "))).toBe(true);
    }
  });

  it("names the stream and subjects outbox events go to on NATS", () => {
    const base = { LAUREL_TOKEN_SECRET: secret };
    expect(loadEnv(base).nats.out).toEqual({ stream: "LAUREL_OUT", subjectPrefix: "laurel.out" });
    expect(
      loadEnv({
        ...base,
        LAUREL_NATS_OUT_STREAM: "EVENTS_OUT",
        LAUREL_NATS_OUT_SUBJECT_PREFIX: "acme.laurel",
      }).nats.out,
    ).toEqual({ stream: "EVENTS_OUT", subjectPrefix: "acme.laurel" });
    expect(problems({ ...base, LAUREL_NATS_OUT_SUBJECT_PREFIX: "laurel.>" })).toEqual([
      expect.stringMatching(/^LAUREL_NATS_OUT_SUBJECT_PREFIX: /),
    ]);
  });

  it("refuses the old LAUREL_SIGN_IN_BLOCK_SECONDS rather than ignore it, naming its successor", () => {
    expect(problems({ LAUREL_TOKEN_SECRET: secret, LAUREL_SIGN_IN_BLOCK_SECONDS: "900" })).toEqual([
      expect.stringMatching(/^LAUREL_SIGN_IN_BLOCK_SECONDS: .*LAUREL_SIGN_IN_MAX_DELAY_SECONDS/),
    ]);
  });

  it("bounds the sign-in throttle's numbers", () => {
    const base = { LAUREL_TOKEN_SECRET: secret };
    expect(loadEnv(base).signIn).toEqual({ maxFailures: 5, maxDelaySeconds: 900 });
    expect(
      problems({ ...base, LAUREL_SIGN_IN_MAX_FAILURES: "0", LAUREL_SIGN_IN_MAX_DELAY_SECONDS: "-1" }),
    ).toEqual([
      expect.stringMatching(/^LAUREL_SIGN_IN_MAX_FAILURES: /),
      expect.stringMatching(/^LAUREL_SIGN_IN_MAX_DELAY_SECONDS: /),
    ]);
  });
});
