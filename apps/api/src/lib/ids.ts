import { getNamedType, type GraphQLInputType, isInputObjectType, isListType, isNonNullType } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import type { Context } from "../context.js";
import { type Issue, ValidationFailed } from "../errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function check(type: GraphQLInputType, value: unknown, path: string, issues: Issue[]): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return check(type.ofType, value, path, issues);
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((item, i) => check(type.ofType, item, `${path}.${i}`, issues));
    return;
  }
  const named = getNamedType(type);
  if (isInputObjectType(named) && typeof value === "object") {
    for (const field of Object.values(named.getFields())) {
      check(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`, issues);
    }
    return;
  }
  if (named.name === "ID" && !UUID.test(String(value))) {
    issues.push({ field: path, rule: "id_format", message: `${path} is not an id`, severity: "error" });
  }
}

/**
 * Every id in Laurel is a UUID: an argument that is not one is refused by name, before a resolver
 * could pass it to the database (where it would be a type error, not a client's mistake).
 */
export const ValidateIds: MiddlewareFn<Context> = ({ args, info }, next) => {
  const field = info.parentType.getFields()[info.fieldName];
  const issues: Issue[] = [];
  for (const arg of field?.args ?? []) check(arg.type, args[arg.name], arg.name, issues);
  if (issues.length > 0) throw new ValidationFailed(issues);
  return next();
};
