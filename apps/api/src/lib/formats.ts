import { z } from "zod";
import { invalid } from "../errors.js";
import { withinJsonLimit } from "./limits.js";

/** Field formats shared by several inputs, each reporting a named rule. */
const timeZones = new Set(Intl.supportedValuesOf("timeZone"));
timeZones.add("UTC");
const currencies = new Set(Intl.supportedValuesOf("currency"));

export const timeZone = z.string().refine((v) => timeZones.has(v), {
  message: "Use an IANA time zone such as Europe/Oslo",
  params: { rule: "time_zone_valid" },
});

export const currency = z.string().refine((v) => currencies.has(v), {
  message: "Use an ISO 4217 code such as NOK",
  params: { rule: "currency_valid" },
});

export const locale = z.string().refine(
  (v) => {
    try {
      return Intl.getCanonicalLocales(v).length === 1;
    } catch {
      return false;
    }
  },
  { message: "Use a language tag such as nb or en", params: { rule: "locale_valid" } },
);

export const slug = z
  .string()
  .trim()
  .refine((v) => /^[a-z0-9][a-z0-9-]{1,62}$/.test(v), {
    message: "Use 2 to 63 lowercase letters, digits and dashes",
    params: { rule: "slug_format" },
  });

/** Machine keys (achievements, roles, metrics, activity types): lowercase, digits and underscores. */
export const machineKey = (rule = "key_format") =>
  z.string().refine((v) => /^[a-z][a-z0-9_]{0,63}$/.test(v), {
    message: "Use lowercase letters, digits and underscores, starting with a letter (at most 64)",
    params: { rule },
  });

export const moduleId = z.string().refine((v) => /^[a-z][a-z0-9-]{0,63}$/.test(v), {
  message: "Module ids are lowercase words joined by dashes, e.g. achievements-gamification",
  params: { rule: "module_format" },
});

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => z.email().safeParse(v).success, {
    message: "Not an email address",
    params: { rule: "email_format" },
  });

export const password = z
  .string()
  .refine((v) => v.length >= 12, {
    message: "Use at least 12 characters",
    params: { rule: "password_min_length" },
  })
  .refine((v) => v.length <= 256, {
    message: "Use at most 256 characters",
    params: { rule: "password_max_length" },
  });

/** Event types: what a tenant's backend reports (`match_won`) and what metrics listen for. */
export const eventType = z.string().refine((v) => /^[a-z][a-z0-9_.:-]{0,63}$/.test(v), {
  message: "Event types are lowercase words joined by _ . : or -, e.g. match_won (at most 64)",
  params: { rule: "event_type_format" },
});

const attributeKey = /^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/;

/** Attributes and filters: a flat JSON object of strings, numbers and booleans, at most 50 keys. */
export const scalarRecord = (field: string, rule: string) =>
  z
    .record(z.string(), z.unknown())
    .refine(
      (v) =>
        Object.keys(v).length <= 50 &&
        Object.entries(v).every(
          ([key, value]) =>
            attributeKey.test(key) &&
            // No NUL: PostgreSQL's JSON cannot store it.
            ((typeof value === "string" && value.length <= 500 && !value.includes("\u0000")) ||
              (typeof value === "number" && Number.isFinite(value)) ||
              typeof value === "boolean"),
        ),
      {
        message: `${field} must be a flat object of at most 50 keys with string (≤ 500 characters, no NUL), number or boolean values`,
        params: { rule },
      },
    )
    .superRefine(withinJsonLimit(field))
    .transform((v) => v as Record<string, string | number | boolean>);

/** Laurel's own uploads, as upload.service.ts names them: `/uploads/<id>`. */
const UPLOAD_PATH = /^\/uploads\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A link a page will load (a badge's icon): an `https:` URL (`http:` too outside production) or one of
 * Laurel's own upload URLs. Never `javascript:`, `data:` or a path elsewhere on the site.
 */
export function isSafeLink(value: string, production: boolean): boolean {
  if (UPLOAD_PATH.test(value)) return true;
  if (/[\s"'<>\\]/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const schemes = production ? ["https:"] : ["https:", "http:"];
  return schemes.includes(url.protocol) && url.hostname !== "";
}

/**
 * A stored link as it is served: NULL unless `isSafeLink`. Writes are checked (assertSafeLink), but rows
 * saved before that check, or written around the API, may hold anything (`javascript:`, `data:text/html`).
 */
export function servedLink(value: string | null | undefined, production: boolean): string | null {
  return value && isSafeLink(value, production) ? value : null;
}

/** The one rule for every URL field: refused (BAD_USER_INPUT) unless `isSafeLink`. Empty means none. */
export function assertSafeLink(
  field: string,
  value: string | null | undefined,
  production: boolean,
  rule = "url_format",
): void {
  if (!value || isSafeLink(value, production)) return;
  const schemes = production ? "an https:// URL" : "an https:// (or http://) URL";
  throw invalid(field, rule, `${field} must be ${schemes} or an uploaded image (/uploads/<id>)`);
}

const FUTURE_SLACK_MS = 5 * 60 * 1000;

/** When something happened, as reported: not in the future (five minutes' slack for clocks), not before 2000. */
export const eventFields = (now: Date) => ({
  occurredAt: z
    .date()
    .refine((d) => d.getTime() <= now.getTime() + FUTURE_SLACK_MS, {
      message: "occurredAt is in the future",
      params: { rule: "occurred_at_not_future" },
    })
    .refine((d) => d.getUTCFullYear() >= 2000, {
      message: "occurredAt is before 2000",
      params: { rule: "occurred_at_range" },
    })
    .nullish(),
});
