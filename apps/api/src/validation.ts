import { z } from "zod";
import { type Issue, ValidationFailed } from "./errors.js";
import { textLimit } from "./lib/limits.js";

/**
 * Validation built on zod. A rule is a named check (`rule("key_format", ...)`); zod's own checks
 * (types, lengths, enums) get generic names. Errors stop a save; warnings are returned beside it.
 */
export type Rule<T> = {
  name: string;
  field: string;
  message: string;
  severity?: "error" | "warning";
  /** True when the value is fine. */
  test: (value: T) => boolean;
};

const zodRuleNames: Record<string, string> = {
  invalid_type: "type",
  too_small: "min",
  too_big: "max",
  invalid_format: "format",
  invalid_value: "one_of",
  unrecognized_keys: "unknown_field",
  not_multiple_of: "multiple_of",
  invalid_union: "type",
};

export function issuesFromZod(error: z.ZodError, prefix = ""): Issue[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { rule?: string } }).params;
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "input";
    return {
      field,
      rule: params?.rule ?? zodRuleNames[issue.code] ?? issue.code,
      message: issue.message,
      severity: "error" as const,
    };
  });
}

/** Parses input with a zod schema, or throws `BAD_USER_INPUT` naming every field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationFailed(issuesFromZod(result.error));
  return result.data;
}

/** Runs rules over a value: throws on broken errors, returns broken warnings. */
export function checkRules<T>(value: T, rules: readonly Rule<T>[]): Issue[] {
  const broken = rules
    .filter((rule) => !rule.test(value))
    .map((rule) => ({
      field: rule.field,
      rule: rule.name,
      message: rule.message,
      severity: rule.severity ?? ("error" as const),
    }));
  const errors = broken.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new ValidationFailed(errors);
  return broken.filter((i) => i.severity === "warning");
}

export const nonEmptyText = (field: string, rule = "not_empty", max = textLimit(field)) =>
  z
    .string()
    .trim()
    .refine((s) => s.length > 0, { message: `${field} must not be empty`, params: { rule } })
    .max(max, `${field} must be at most ${max} characters`);
