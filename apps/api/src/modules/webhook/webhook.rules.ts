import { isOutboxType, OUTBOX_TYPES } from "@laurel/engine";
import { z } from "zod";
import { refusedHost } from "../../outbox/ssrf.js";

export const URL_MAX = 2_048;
export const DESCRIPTION_MAX = 500;

/** The rule an endpoint URL breaks, if any: its name and a sentence. */
export function urlProblem(
  value: string,
  options: { production: boolean; allowPrivate: boolean },
): { rule: string; message: string } | undefined {
  if (value.length > URL_MAX)
    return { rule: "url_too_long", message: `url must be at most ${URL_MAX} characters` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      rule: "url_format",
      message: "url is not an absolute URL, e.g. https://hooks.example.org/laurel",
    };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { rule: "url_scheme", message: "url must start with https://" };
  if (url.protocol === "http:" && options.production)
    return { rule: "url_https_required", message: "url must use https:// in production" };
  if (url.username || url.password)
    return {
      rule: "url_no_credentials",
      message: "url must not hold a user name or password: receivers check the signature instead",
    };
  const refused = refusedHost(url.hostname, options.allowPrivate);
  if (refused)
    return {
      rule: "url_private_address",
      message: `url must be a public address (${refused.message}); set LAUREL_WEBHOOK_ALLOW_PRIVATE=true to allow private ones`,
    };
  return undefined;
}

/** An endpoint's fields, checked: the URL's rules depend on the installation (production, private addresses). */
export function endpointFields(options: { production: boolean; allowPrivate: boolean }) {
  return {
    url: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const problem = urlProblem(value, options);
        if (problem)
          ctx.addIssue({ code: "custom", message: problem.message, params: { rule: problem.rule } });
      }),
    eventTypes: z
      .array(
        z.string().refine(isOutboxType, {
          message: `eventTypes may hold ${OUTBOX_TYPES.join(", ")}`,
          params: { rule: "event_type_known" },
        }),
      )
      .refine((types) => types.length > 0, {
        message: "eventTypes must name at least one event type",
        params: { rule: "event_types_not_empty" },
      })
      .transform((types) => [...new Set(types)]),
    description: z
      .string()
      .trim()
      .max(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`),
  };
}

/** How long a rotated-out secret may keep signing: up to a week. */
export const MAX_OVERLAP_HOURS = 168;
