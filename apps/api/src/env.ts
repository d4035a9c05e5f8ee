import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MODULES } from "@laurel/engine";
import { z } from "zod";
import { MIN_SECRET_BITS, secretEntropyBits } from "./lib/secret-strength.js";
import { moduleId } from "./lib/formats.js";

/** The workspace root, for defaults that must not depend on the directory a command runs in. */
export const workspaceRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().default("0.0.0.0"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** PostgreSQL connection string; without it Laurel runs on the embedded PGlite. */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    LAUREL_DATA_DIR: z.string().default(join(workspaceRoot, ".laurel", "data")),
    LAUREL_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    LAUREL_TOKEN_TTL: z
      .string()
      .regex(/^\d+\s*(s|m|h|d)$/, "a number and a unit: 30m, 12h, 7d")
      .default("12h"),
    LAUREL_DEV_LOGIN_CODE: z
      .string()
      .regex(/^\d{4,8}$/, "4 to 8 digits")
      .optional(),
    LAUREL_ADMIN_EMAIL: z.string().email().optional(),
    LAUREL_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    LAUREL_DEMO: flag.default(false),
    LAUREL_INTROSPECTION: flag.optional(),
    LAUREL_PLAYGROUND: flag.optional(),
    LAUREL_CORS_ORIGINS: z.string().default(""),
    LAUREL_SCHEDULER: flag.default(true),
    LAUREL_SCHEDULER_CRON: z.string().default("*/5 * * * *"),
    LAUREL_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).default(300),
    LAUREL_JOB_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    LAUREL_JOB_PARALLEL: z.coerce.number().int().min(1).max(16).default(2),
    LAUREL_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    LAUREL_SIGN_IN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    /** Express's `trust proxy`: false, true, a hop count, or addresses and subnets, comma-separated. */
    LAUREL_TRUST_PROXY: z
      .string()
      .transform((value, ctx) => {
        const trust = parseTrustProxy(value);
        if (trust === undefined) {
          ctx.addIssue({
            code: "custom",
            message:
              "false, true, a number of hops, or comma-separated addresses and subnets (loopback, 10.0.0.0/8, ...)",
          });
          return z.NEVER;
        }
        return trust;
      })
      .default(false),
    /** The mail transport for sign-in codes: smtp://user:pass@host:port or smtps://... */
    LAUREL_SMTP_URL: z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//i.test(v), "must start with smtp:// or smtps://")
      .optional(),
    /** The sender of sign-in codes and people's emails, e.g. `Laurel <no-reply@example.org>`. */
    LAUREL_MAIL_FROM: z.string().min(3).max(320).optional(),
    /** Where people reach this API (the player app, the opt-out link), for the links in their emails. */
    LAUREL_PUBLIC_URL: z
      .string()
      .url()
      .refine((v) => /^https?:\/\//i.test(v), "must start with http:// or https://")
      .optional(),
    /** The largest answer the API builds, in bytes (an estimate from its text and JSON values). */
    LAUREL_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    /** Requests one API key may make per second on average, in one API process; 0 turns the limit off. */
    LAUREL_API_KEY_RATE: z.coerce.number().min(0).default(100),
    /** Requests one API key may make at once (default: ten seconds' worth of the rate). */
    LAUREL_API_KEY_BURST: z.coerce.number().int().min(1).optional(),
    /** The modules this installation offers (its licence): what a Global Administrator may enable for an organization. */
    LAUREL_MODULES: z
      .string()
      .default(Object.values(MODULES).join(","))
      .transform((v) => [
        ...new Set(
          v
            .split(",")
            .map((m) => m.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(moduleId)),
    LAUREL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** pnpm bench only: adds the baseline mutation the benchmark compares the intake with. */
    LAUREL_BENCH: flag.default(false),
    /** NATS server(s), comma-separated: events published to JetStream go through the intake (`worker` command). */
    LAUREL_NATS_URL: z.string().optional(),
    LAUREL_NATS_STREAM: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -")
      .default("LAUREL_EVENTS"),
    LAUREL_NATS_CONSUMER: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -")
      .default("laurel-intake"),
    LAUREL_NATS_SUBJECT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "subject tokens joined by dots, no wildcards")
      .default("laurel.events"),
    LAUREL_NATS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    /**
     * The key webhook signing secrets are encrypted with (through HKDF), kept out of the database so a dump
     * alone cannot sign; unset: one derived from LAUREL_TOKEN_SECRET.
     */
    LAUREL_WEBHOOK_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    /** Webhook endpoints may be on loopback, private, link-local and metadata addresses (tests, closed networks). */
    LAUREL_WEBHOOK_ALLOW_PRIVATE: flag.default(false),
    /** Outbox events to NATS (with LAUREL_NATS_URL): the stream made if missing, and the subjects' prefix. */
    LAUREL_NATS_OUT_STREAM: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -")
      .default("LAUREL_OUT"),
    LAUREL_NATS_OUT_SUBJECT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "subject tokens joined by dots, no wildcards")
      .default("laurel.out"),
  })
  .superRefine((env, ctx) => {
    if (env.LAUREL_SMTP_URL && !env.LAUREL_MAIL_FROM) {
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_MAIL_FROM"],
        message: "is required with LAUREL_SMTP_URL",
      });
    }
    if (env.NODE_ENV !== "production") return;
    if (!env.LAUREL_TOKEN_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_TOKEN_SECRET"],
        message: `is required in production: make one with \`openssl rand -base64 48\``,
      });
    } else if (secretEntropyBits(env.LAUREL_TOKEN_SECRET) < MIN_SECRET_BITS) {
      // Anyone who guesses it signs tokens as anyone: as hard to guess as HS256's key, or no start.
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_TOKEN_SECRET"],
        message:
          `is too weak for production: about ${Math.floor(secretEntropyBits(env.LAUREL_TOKEN_SECRET))} bits ` +
          `of entropy where ${MIN_SECRET_BITS} are needed (repeated or few different characters count little); ` +
          "make one with `openssl rand -base64 48`",
      });
    }
    if (env.LAUREL_WEBHOOK_KEY && secretEntropyBits(env.LAUREL_WEBHOOK_KEY) < MIN_SECRET_BITS) {
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_WEBHOOK_KEY"],
        message: "is too weak for production: make one with `openssl rand -base64 48`",
      });
    }
    if (env.LAUREL_DEV_LOGIN_CODE) {
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_DEV_LOGIN_CODE"],
        message: "the development sign-in code is refused in production",
      });
    }
    if (env.LAUREL_DEMO) {
      ctx.addIssue({ code: "custom", path: ["LAUREL_DEMO"], message: "demo data is refused in production" });
    }
    if (env.LAUREL_BENCH) {
      ctx.addIssue({
        code: "custom",
        path: ["LAUREL_BENCH"],
        message: "the benchmark's mutation is refused in production",
      });
    }
  });

export type RawEnv = z.infer<typeof schema>;

/** What Express's `trust proxy` takes: on or off, a number of hops, or the trusted addresses and subnets. */
export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** Reads LAUREL_TRUST_PROXY; undefined when it is none of Express's forms. */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const text = value.trim().toLowerCase();
  if (text === "false" || text === "") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) return Number(text);
  const parts = text.split(",").map((p) => p.trim());
  const valid = parts.every((part) => {
    if (PROXY_NAMES.has(part)) return true;
    const [address, bits, ...rest] = part.split("/");
    const family = isIP(address ?? "");
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    if (family === 4 && isIP(bits) === 4) return true; // a netmask: 10.0.0.0/255.0.0.0
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  });
  return valid ? parts : undefined;
}

export type Env = {
  production: boolean;
  host: string;
  port: number;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  tokenSecret: string;
  tokenTtl: string;
  devLoginCode: string | undefined;
  firstAdmin: { email: string; password: string } | undefined;
  demo: boolean;
  introspection: boolean;
  playground: boolean;
  corsOrigins: string[];
  /** The scheduled job: on in this process, its cron expression, and how long a claim lasts before another process may take it over. */
  scheduler: { enabled: boolean; cron: string; leaseMs: number; batchSize: number; parallel: number };
  /** The sign-in throttle (throttle.ts): free failures per account and address, and the longest delay. */
  signIn: { maxFailures: number; maxDelaySeconds: number };
  /** Express's `trust proxy` setting: which proxies' X-Forwarded-For give the client's address. */
  trustProxy: TrustProxy;
  /** Where sign-in codes and people's emails are mailed from; none: codes logged outside production, refused in production. */
  mail: { smtpUrl: string; from: string } | undefined;
  /**
   * Where people reach this API, no trailing slash: the links in their emails (the player app, the
   * opt-out page). Outside production `http://localhost:<port>` by default; in production none unless
   * set, and then people's emails are not sent.
   */
  publicUrl: string | undefined;
  /** Each API key's requests in one API process: `perSecond` on average (0: no limit), `burst` at once. */
  apiKeyRate: { perSecond: number; burst: number };
  /** The module ids organizations may have enabled (LAUREL_MODULES). */
  modules: readonly string[];
  logLevel: RawEnv["LAUREL_LOG_LEVEL"];
  /** An operation whose answer would pass this many bytes is refused with RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** The benchmark's baseline mutation is in the schema (never in production). */
  bench: boolean;
  /** Events over NATS JetStream: the servers (none: no worker), the stream, the durable consumer, the subjects' prefix and the messages taken at once. */
  nats: {
    url: string | undefined;
    stream: string;
    consumer: string;
    subjectPrefix: string;
    concurrency: number;
    /** Outbox events published to JetStream (when `url` is set): the stream, and subjects `<prefix>.<organization id>.<type>`. */
    out: { stream: string; subjectPrefix: string };
  };
  /**
   * Outbound webhooks: the key material their secrets are encrypted with (LAUREL_WEBHOOK_KEY, else
   * LAUREL_TOKEN_SECRET), and whether endpoints may be on private addresses.
   */
  webhooks: { key: string; allowPrivate: boolean };
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Reads and checks the configuration. The only reader of `process.env` in the API: everything else
 * gets an `Env`. Tests pass their own variables.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return envOf(checkedVariables(source));
}

/** The variables set (an empty one counts as unset), checked against the schema and against each other. */
function checkedVariables(source: Record<string, string | undefined>): RawEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const raw = parsed.data;
  if (cleaned.LAUREL_SIGN_IN_BLOCK_SECONDS !== undefined) {
    // Set and silently ignored would leave an operator believing accounts still lock for that long.
    throw new EnvError([
      "LAUREL_SIGN_IN_BLOCK_SECONDS: no longer read: the sign-in throttle slows down instead of blocking; set LAUREL_SIGN_IN_MAX_DELAY_SECONDS (the longest delay) instead",
    ]);
  }
  if (raw.LAUREL_ADMIN_EMAIL && !raw.LAUREL_ADMIN_PASSWORD) {
    throw new EnvError(["LAUREL_ADMIN_PASSWORD: is required with LAUREL_ADMIN_EMAIL"]);
  }
  return raw;
}

/** The checked variables as the API reads them, with the defaults that depend on production. */
function envOf(raw: RawEnv): Env {
  const production = raw.NODE_ENV === "production";
  const tokenSecret = raw.LAUREL_TOKEN_SECRET ?? developmentSecret(resolve(raw.LAUREL_DATA_DIR));
  return {
    production,
    host: raw.HOST,
    port: raw.PORT,
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    dataDir: resolve(raw.LAUREL_DATA_DIR),
    tokenSecret,
    tokenTtl: raw.LAUREL_TOKEN_TTL,
    devLoginCode: raw.LAUREL_DEV_LOGIN_CODE,
    firstAdmin:
      raw.LAUREL_ADMIN_EMAIL && raw.LAUREL_ADMIN_PASSWORD
        ? { email: raw.LAUREL_ADMIN_EMAIL, password: raw.LAUREL_ADMIN_PASSWORD }
        : undefined,
    demo: raw.LAUREL_DEMO,
    introspection: raw.LAUREL_INTROSPECTION ?? !production,
    playground: raw.LAUREL_PLAYGROUND ?? !production,
    corsOrigins: raw.LAUREL_CORS_ORIGINS.split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    scheduler: {
      enabled: raw.LAUREL_SCHEDULER,
      cron: raw.LAUREL_SCHEDULER_CRON,
      leaseMs: raw.LAUREL_JOB_LEASE_SECONDS * 1000,
      batchSize: raw.LAUREL_JOB_BATCH_SIZE,
      parallel: raw.LAUREL_JOB_PARALLEL,
    },
    signIn: {
      maxFailures: raw.LAUREL_SIGN_IN_MAX_FAILURES,
      maxDelaySeconds: raw.LAUREL_SIGN_IN_MAX_DELAY_SECONDS,
    },
    trustProxy: raw.LAUREL_TRUST_PROXY,
    mail:
      raw.LAUREL_SMTP_URL && raw.LAUREL_MAIL_FROM
        ? { smtpUrl: raw.LAUREL_SMTP_URL, from: raw.LAUREL_MAIL_FROM }
        : undefined,
    publicUrl: (raw.LAUREL_PUBLIC_URL ?? (production ? undefined : `http://localhost:${raw.PORT}`))?.replace(
      /\/+$/,
      "",
    ),
    apiKeyRate: {
      perSecond: raw.LAUREL_API_KEY_RATE,
      burst: raw.LAUREL_API_KEY_BURST ?? Math.max(1, Math.ceil(raw.LAUREL_API_KEY_RATE * 10)),
    },
    modules: raw.LAUREL_MODULES,
    logLevel: raw.LAUREL_LOG_LEVEL,
    maxResponseBytes: raw.LAUREL_MAX_RESPONSE_BYTES,
    bench: raw.LAUREL_BENCH,
    ...outboundOf(raw, tokenSecret),
  };
}

/** NATS (the intake and outbox events) and webhooks. */
function outboundOf(raw: RawEnv, tokenSecret: string): Pick<Env, "nats" | "webhooks"> {
  return {
    nats: {
      url: raw.LAUREL_NATS_URL,
      stream: raw.LAUREL_NATS_STREAM,
      consumer: raw.LAUREL_NATS_CONSUMER,
      subjectPrefix: raw.LAUREL_NATS_SUBJECT_PREFIX,
      concurrency: raw.LAUREL_NATS_CONCURRENCY,
      out: { stream: raw.LAUREL_NATS_OUT_STREAM, subjectPrefix: raw.LAUREL_NATS_OUT_SUBJECT_PREFIX },
    },
    webhooks: {
      // Labelled by source, so the two never derive the same key from the same text.
      key: raw.LAUREL_WEBHOOK_KEY ? `webhook-key:${raw.LAUREL_WEBHOOK_KEY}` : `token-secret:${tokenSecret}`,
      allowPrivate: raw.LAUREL_WEBHOOK_ALLOW_PRIVATE,
    },
  };
}

/**
 * Outside production a token secret is made on first start and kept beside the embedded data, so tokens
 * survive a restart and every local process signs alike.
 */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, "..", "token-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(join(dataDir, ".."), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
