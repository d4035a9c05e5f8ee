import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";

/**
 * Operations made from the schema itself, for tests that call every query (and mutation) with arguments
 * that name someone's rows: the tenancy matrix and the visibility matrix.
 */

/** The object type an ID argument names: from the argument's name, else the field's return type. */
export function idTarget(name: string, field: GraphQLField<unknown, unknown>): string {
  // Operations whose `id` names a row of another type than they return.
  const byField: Record<string, string> = { sendTestWebhook: "WebhookEndpoint" };
  if (name === "id" && Object.hasOwn(byField, field.name)) return byField[field.name]!;
  const returned = (getNamedType(field.type as GraphQLOutputType) as GraphQLNamedType).name;
  const byName: Record<string, string> = {
    userId: "User",
    organizationId: "Organization",
    achievementId: "Achievement",
    roleId: "Role",
    metricId: "Metric",
    activityTypeId: "ActivityType",
    consumableId: "Consumable",
    endpointId: "WebhookEndpoint",
    ruleIds: "AchievementRule",
    ids: returned,
  };
  return byName[name] ?? returned;
}

/**
 * A value for an argument: `idFor` of the type an ID names, a plausible value otherwise. Input objects
 * get their required fields and their ids.
 */
export function valueFor(
  type: GraphQLInputType,
  name: string,
  field: GraphQLField<unknown, unknown>,
  idFor: (target: string) => string | undefined,
  depth = 0,
): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, field, idFor, depth);
  if (isListType(type)) return [valueFor(type.ofType, name, field, idFor, depth)];
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    if (depth > 2) return {};
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type) || /id$/i.test(f.name))
        .map((f) => [f.name, valueFor(f.type, f.name, field, idFor, depth + 1)]),
    );
  }
  if (named.name === "ID") return idFor(idTarget(name, field));
  if (named.name === "Int") return name === "year" ? 2025 : 1;
  if (named.name === "Float") return 1;
  if (named.name === "Boolean") return name === "dryRun" ? false : true;
  if (named.name === "DateTimeISO") return "2025-06-01T10:00:00.000Z";
  if (named.name === "JSONObject") return {};
  return name === "email"
    ? "intruder@example.test"
    : name === "key" || name === "slug"
      ? "intruder_key"
      : "intruder";
}

const isLeaf = (type: GraphQLOutputType) => {
  const inner = getNamedType(type);
  return isScalarType(inner) || isEnumType(inner);
};

/** The scalar fields of a type, one level: `{ id name ... }`. */
export function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return "";
  const scalars = Object.values(named.getFields()).filter((f) => isLeaf(f.type) && f.args.length === 0);
  return `{ ${scalars.map((f) => f.name).join(" ")} }`;
}

/**
 * Every field reachable from a type, nested object fields included, `depth` levels down; an object type
 * is not entered twice on one path (User.organization, but not User.role... .user again). Fields that need
 * arguments are left out.
 */
export function deepSelection(type: GraphQLOutputType, depth = 4, path: readonly string[] = []): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return "";
  const parts: string[] = [];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (isLeaf(f.type)) {
      parts.push(f.name);
      continue;
    }
    const inner = getNamedType(f.type).name;
    if (depth <= 1 || path.includes(inner) || inner === named.name) continue;
    const nested = deepSelection(f.type, depth - 1, [...path, named.name]);
    if (nested) parts.push(`${f.name} ${nested}`);
  }
  return parts.length ? `{ ${parts.join(" ")} }` : "";
}
