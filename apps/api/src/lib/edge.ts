import {
  getNamedType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLOutputType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from "graphql";
import type { MiddlewareFn } from "type-graphql";
import type { Context } from "../context.js";
import { type Issue, ResponseTooLarge, ValidationFailed } from "../errors.js";
import { hasNul, jsonProblem, jsonSize, listLimit, textLimit } from "./limits.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JSON_SCALARS = new Set(["JSON", "JSONObject"]);

const issue = (field: string, rule: string, message: string): Issue => ({
  field,
  rule,
  message,
  severity: "error",
});

/** `name` is the argument's or input field's own name, which the limits are keyed by. */
function check(type: GraphQLInputType, value: unknown, path: string, name: string, issues: Issue[]): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return check(type.ofType, value, path, name, issues);
  if (isListType(type)) {
    if (!Array.isArray(value)) return check(type.ofType, value, path, name, issues);
    const max = listLimit(name);
    if (value.length > max) {
      issues.push(issue(path, "too_many", `${path} must have at most ${max} items`));
      return;
    }
    value.forEach((item, i) => check(type.ofType, item, `${path}.${i}`, name, issues));
    return;
  }
  const named = getNamedType(type);
  if (isInputObjectType(named) && typeof value === "object") {
    for (const field of Object.values(named.getFields())) {
      const v = (value as Record<string, unknown>)[field.name];
      check(field.type, v, `${path}.${field.name}`, field.name, issues);
    }
    return;
  }
  if (JSON_SCALARS.has(named.name)) {
    const problem = jsonProblem(path, value);
    if (problem) issues.push(issue(path, problem.rule, problem.message));
    return;
  }
  if (typeof value === "string") {
    if (hasNul(value)) {
      issues.push(issue(path, "nul_character", `${path} must not contain the NUL character`));
      return;
    }
    const max = textLimit(name);
    if (value.length > max) {
      issues.push(issue(path, "too_long", `${path} must be at most ${max} characters`));
      return;
    }
  }
  if (named.name === "ID" && !UUID.test(String(value))) {
    issues.push(issue(path, "id_format", `${path} is not an id`));
  }
}

/**
 * Every argument at the edge, before a resolver could pass it on: ids are UUIDs, text and lists are within
 * LIMITS, JSON within its size and depth, and no text holds a NUL (PostgreSQL's error, not the client's).
 */
export function checkArguments(definitions: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  const issues: Issue[] = [];
  for (const arg of definitions) check(arg.type, args[arg.name], arg.name, arg.name, issues);
  if (issues.length > 0) throw new ValidationFailed(issues);
}

/** Which results count towards a response's size: text and JSON (numbers, ids and enums are small). */
type Measured = "text" | "json" | undefined;
const measuredOf = new WeakMap<GraphQLOutputType, Measured>();
function measured(type: GraphQLOutputType): Measured {
  if (measuredOf.has(type)) return measuredOf.get(type);
  const name = getNamedType(type).name;
  const kind = name === "String" ? "text" : JSON_SCALARS.has(name) ? "json" : undefined;
  measuredOf.set(type, kind);
  return kind;
}

/** A running estimate of one operation's response, kept beside its context. */
type Budget = { bytes: number; exceeded: boolean };
const budgets = new WeakMap<object, Budget>();

function add(budget: Budget, value: unknown, kind: Measured, max: number): void {
  const left = max - budget.bytes;
  budget.bytes += kind === "text" && typeof value === "string" ? value.length + 2 : jsonSize(value, left);
  if (budget.bytes > max) budget.exceeded = true;
}

/**
 * The edge of every field: its arguments are checked (checkArguments), and the text and JSON it returns
 * are added to an estimate of the response. Once the estimate passes LAUREL_MAX_RESPONSE_BYTES the field
 * and every later one fail with RESPONSE_TOO_LARGE, so the oversized answer is never assembled; the
 * responseLimit plugin (app.ts) then answers with that one error.
 */
export const GuardEdge: MiddlewareFn<Context> = ({ args, info, context }, next) => {
  let budget = budgets.get(context);
  if (!budget) budgets.set(context, (budget = { bytes: 0, exceeded: false }));
  const max = context.app.env.maxResponseBytes;
  if (budget.exceeded) throw new ResponseTooLarge(max);
  const field = info.parentType.getFields()[info.fieldName];
  if (field && field.args.length > 0) checkArguments(field.args, args);
  const kind = measured(info.returnType);
  if (!kind) return next();
  return next().then((result: unknown) => {
    if (result === null || result === undefined) return result;
    add(budget, result, Array.isArray(result) ? "json" : kind, max);
    if (budget.exceeded) throw new ResponseTooLarge(max);
    return result;
  });
};
