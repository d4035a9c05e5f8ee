import { z } from "zod";

/**
 * Laurel's size limits on what a client sends, in one table: every argument of the GraphQL API (and the
 * NATS transport's event fields) is checked against them at the edge, before a resolver runs, and the
 * services' own rules use the same numbers. The README's security section lists them.
 */
export const LIMITS = {
  /** Characters of a text argument or input field, by its name; any other text: `default`. */
  text: {
    default: 200,
    description: 10_000,
    notes: 10_000,
    source: 1_000,
    eventName: 500,
    iconUrl: 2_048,
    /** A webhook endpoint's URL. */
    url: 2_048,
    email: 320,
    password: 256,
  },
  /** Items of a list argument or input field, by its name; any other list: `default`. */
  list: {
    default: 100,
    ids: 1_000,
  },
  /** A JSON argument (triggerMetadata, a metric's filter, an event's attributes): its size as JSON text, and its nesting. */
  json: { bytes: 16 * 1024, depth: 8 },
} as const;

const byName = (table: Readonly<Record<string, number>>, name: string, fallback: number): number =>
  Object.hasOwn(table, name) ? table[name]! : fallback;
export const textLimit = (name: string): number => byName(LIMITS.text, name, LIMITS.text.default);
export const listLimit = (name: string): number => byName(LIMITS.list, name, LIMITS.list.default);

/** PostgreSQL refuses the NUL character in text and JSON: it is a client's mistake, never a 500. */
export const hasNul = (text: string): boolean => text.includes("\u0000");

export type JsonProblem = { rule: "too_large" | "too_deep" | "nul_character"; message: string };

/**
 * The size of a value written as JSON (UTF-16 units of its text, near enough its bytes for a limit),
 * counted until it passes `stopAt`: a huge value costs no more than the limit to measure.
 */
export function jsonSize(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= stopAt) {
    const v = stack.pop();
    if (typeof v === "string") size += v.length + 2;
    else if (v === null || v === undefined) size += 4;
    else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint")
      size += String(v).length;
    else if (v instanceof Date) size += 26;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      for (const item of v) {
        if (size > stopAt) break;
        stack.push(item);
      }
    } else if (typeof v === "object") {
      size += 2;
      for (const key in v) {
        if (size > stopAt) break;
        if (!Object.hasOwn(v, key)) continue;
        size += key.length + 4;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}

/** What is wrong with a JSON argument, if anything: too large, nested too deep, or holding a NUL. */
export function jsonProblem(field: string, value: unknown): JsonProblem | undefined {
  const { bytes, depth } = LIMITS.json;
  if (jsonSize(value, bytes) > bytes)
    return { rule: "too_large", message: `${field} must be at most ${bytes / 1024} KB as JSON` };
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, level] = stack.pop()!;
    if (typeof v === "string") {
      if (hasNul(v)) return { rule: "nul_character", message: `${field} must not contain the NUL character` };
    } else if (v && typeof v === "object" && !(v instanceof Date)) {
      if (level >= depth)
        return { rule: "too_deep", message: `${field} must be nested at most ${depth} deep` };
      for (const [key, item] of Object.entries(v)) {
        if (hasNul(key))
          return { rule: "nul_character", message: `${field} must not contain the NUL character` };
        stack.push([item, level + 1]);
      }
    }
  }
  return undefined;
}

/** The one JSON size rule for zod schemas: a JSON value within LIMITS.json. */
export const withinJsonLimit =
  (field: string) =>
  (value: unknown, ctx: z.RefinementCtx): void => {
    const problem = jsonProblem(field, value);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { rule: problem.rule } });
  };
