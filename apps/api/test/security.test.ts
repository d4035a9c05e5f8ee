import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";
import { seededRandom } from "@laurel/engine";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSchema } from "../src/schema.js";
import { gameTenant } from "./support/engine.js";
import { signIn } from "./support/factories.js";
import { openTestDatabase, startTestServer, type TestApi } from "./support/server.js";

/**
 * Hostile input against a production-mode server, generated from the schema: wrong types, unknown enum
 * values, nulls where values are required, bad JSON, huge strings, numbers and lists, deep nesting,
 * thousands of aliases, batches, CSRF-style simple requests. Nothing may crash (INTERNAL_SERVER_ERROR),
 * leak a stack trace or suggest a field; malformed operations must write nothing.
 */
let api: TestApi;
beforeAll(async () => {
  const database = await openTestDatabase();
  api = await startTestServer({ database, env: { NODE_ENV: "production", LAUREL_SCHEDULER: "false" } });
});
afterAll(async () => {
  await api.close();
  await api.database.close();
});

type Poison = "type" | "size" | "shape";

/** A value of the wrong type for an argument: the server must refuse it before running anything. */
function wrongType(type: GraphQLInputType, rand: () => number): unknown {
  const named = getNamedType(type) as GraphQLNamedType;
  const options: unknown[] = [{ nested: { deeper: [1, 2, 3] } }];
  // A near miss of a real name (an enum value, an input field) is what graphql-js would suggest for.
  if (isEnumType(named)) options.push("NOT_A_VALUE", 42, named.getValues()[0]!.name.slice(0, -1));
  else if (isInputObjectType(named))
    options.push(
      "a string",
      [1, 2],
      7,
      { unknownField: true },
      {
        [`${Object.keys(named.getFields())[0]!}x`]: true,
      },
    );
  else if (named.name === "Int") options.push("12", 1.5, 2 ** 40, true, "9".repeat(30));
  else if (named.name === "Float") options.push("1e3", false, [1]);
  else if (named.name === "Boolean") options.push("true", 1, {});
  else if (named.name === "ID") options.push(true, { id: 1 }, [["x"]]);
  else if (named.name === "DateTimeISO") options.push("yesterday", "2025-13-45T99:00:00Z", 17);
  else if (named.name === "JSONObject") options.push("not json", [1, 2, 3], 5, "{");
  else options.push(12, false, { s: "x" });
  if (isNonNullType(type)) options.push(null);
  return options[Math.floor(rand() * options.length)];
}

/** A value of the right type but hostile size: the server must answer without crashing. */
function hugeValue(type: GraphQLInputType, rand: () => number, inList = false): unknown {
  if (isNonNullType(type)) return hugeValue(type.ofType, rand, inList);
  // A long list of small items, or one huge item: never both (the test would build gigabytes).
  if (isListType(type))
    return Array.from({ length: rand() < 0.5 ? 1000 : 1 }, () => hugeValue(type.ofType, rand, true));
  const named = getNamedType(type) as GraphQLNamedType;
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields()).map((f) => [f.name, hugeValue(f.type, rand, true)]),
    );
  }
  if (inList)
    return named.name === "Int" || named.name === "Float" ? 1 : named.name === "Boolean" ? true : "x";
  if (named.name === "Int") return [2147483647, -2147483648, 0][Math.floor(rand() * 3)];
  if (named.name === "Float") return [1e308, -1e308, 5e-324][Math.floor(rand() * 3)];
  if (named.name === "Boolean") return rand() < 0.5;
  if (named.name === "DateTimeISO")
    return ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"][Math.floor(rand() * 2)];
  if (named.name === "JSONObject") {
    let deep: Record<string, unknown> = { leaf: "x".repeat(1000) };
    for (let i = 0; i < 60; i++) deep = { deeper: deep };
    return rand() < 0.5 ? deep : Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
  }
  const length = [10_000, 100_000, 200_000][Math.floor(rand() * 3)]!;
  const seeds = ["\u0000", "'; drop table users; --", "<script>", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "A"];
  return seeds[Math.floor(rand() * seeds.length)]!.repeat(Math.ceil(length / 8)).slice(0, length);
}

/** Ordinary input that once answered 500: NUL in text, inherited property names, deep or huge JSON. */
const SHAPES = ["a\u0000", "\u0000", "__proto__", "constructor", "toString"];
function shapedValue(type: GraphQLInputType, rand: () => number): unknown {
  if (isNonNullType(type)) return shapedValue(type.ofType, rand);
  if (isListType(type)) return [shapedValue(type.ofType, rand)];
  const named = getNamedType(type) as GraphQLNamedType;
  if (isInputObjectType(named)) {
    return Object.fromEntries(
      Object.values(named.getFields()).map((f) => [
        f.name,
        getNamedType(f.type).name === "String" ? shapedValue(f.type, rand) : hugeValue(f.type, () => 0),
      ]),
    );
  }
  if (named.name === "JSONObject") {
    const pick = rand();
    if (pick < 0.33) {
      let deep: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 200; i++) deep = { d: deep };
      return deep;
    }
    return pick < 0.66 ? { huge: "j".repeat(900_000) } : { "a\u0000": "\u0000" };
  }
  if (named.name === "String") return SHAPES[Math.floor(rand() * SHAPES.length)];
  return hugeValue(type, rand);
}

function selection(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return "";
  const leaves = Object.values(named.getFields()).filter(
    (f) => f.args.length === 0 && (isScalarType(getNamedType(f.type)) || isEnumType(getNamedType(f.type))),
  );
  return `{ __typename ${leaves
    .slice(0, 5)
    .map((f) => f.name)
    .join(" ")} }`;
}

function fuzzed(
  kind: "query" | "mutation",
  field: GraphQLField<unknown, unknown>,
  poison: Poison,
  rand: () => number,
) {
  const args = field.args as readonly GraphQLArgument[];
  if (args.length === 0) return undefined;
  const victim = args[Math.floor(rand() * args.length)]!;
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of args) {
    if (arg !== victim && !isNonNullType(arg.type)) continue;
    variables[arg.name] =
      arg === victim
        ? poison === "type"
          ? wrongType(arg.type, rand)
          : poison === "size"
            ? hugeValue(arg.type, rand)
            : shapedValue(arg.type, rand)
        : hugeValue(arg.type, () => 0.99);
    declared.push(`$${arg.name}: ${arg.type.toString()}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  return {
    query: `${kind}(${declared.join(", ")}) { ${field.name}(${passed.join(", ")}) ${selection(field)} }`,
    variables,
  };
}

async function tenantRows(organizationId: string) {
  const result = await api.database.db.execute(
    sql.raw(`select (select count(*) from achievements where organization_id = '${organizationId}') +
      (select count(*) from achievement_rules where organization_id = '${organizationId}') +
      (select count(*) from consumables where organization_id = '${organizationId}') +
      (select count(*) from metric_definitions where organization_id = '${organizationId}') +
      (select count(*) from users where organization_id = '${organizationId}') +
      (select count(*) from roles where organization_id = '${organizationId}') +
      (select count(*) from activity_types where organization_id = '${organizationId}') +
      (select count(*) from events where organization_id = '${organizationId}') +
      (select count(*) from api_keys where organization_id = '${organizationId}') +
      (select count(*) from advantage_parameters where organization_id = '${organizationId}') as n`),
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    n: string | number;
  }[];
  return Number(rows[0]!.n);
}

type Finding = string;

function inspect(label: string, status: number, text: string, findings: Finding[], op?: unknown) {
  const sent = op ? ` after ${JSON.stringify(op).slice(0, 400)}` : "";
  if (status >= 500) findings.push(`${label}: HTTP ${status} ${text.slice(0, 200)}${sent}`);
  if (/INTERNAL_SERVER_ERROR/.test(text)) findings.push(`${label}: internal error ${text.slice(0, 300)}`);
  if (/stacktrace|\bat \S+ \(|\.ts:\d+/.test(text))
    findings.push(`${label}: stack trace ${text.slice(0, 300)}`);
  if (/Did you mean|Suggestion/i.test(text)) findings.push(`${label}: suggestion ${text.slice(0, 300)}`);
  if (/Syntax Error/.test(text) && !/GRAPHQL_PARSE_FAILED/.test(text))
    findings.push(`${label}: labelled a syntax error ${text.slice(0, 300)}`);
}

async function post(body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe("hostile input", () => {
  it(
    "10,000 schema-driven malformed operations: no crash, no stack trace, no suggestion, no write",
    { timeout: 300_000 },
    async () => {
      const game = await gameTenant(api);
      const token = await signIn(api, game.admin.user.email);
      const schema = await getSchema();
      const fields = [
        ...Object.values(schema.getQueryType()!.getFields()).map((f) => ["query", f] as const),
        ...Object.values(schema.getMutationType()!.getFields()).map((f) => ["mutation", f] as const),
      ].filter(([, f]) => f.args.length > 0);
      const rand = seededRandom(20261123);
      const findings: Finding[] = [];
      const before = await tenantRows(game.organization.id);
      let sent = 0;
      const callers: Record<string, string>[] = [
        { authorization: `Bearer ${token}` },
        { "x-api-key": game.backend.apiKey },
        {},
      ];
      while (sent < 8000) {
        const batch = Array.from({ length: 20 }, () => {
          const [kind, field] = fields[Math.floor(rand() * fields.length)]!;
          return {
            op: fuzzed(kind, field, "type", rand),
            field,
            caller: callers[Math.floor(rand() * callers.length)]!,
          };
        }).filter((b) => b.op);
        const results = await Promise.all(batch.map((b) => post(b.op, b.caller)));
        results.forEach((r, i) =>
          inspect(`type ${batch[i]!.field.name}`, r.status, r.text, findings, batch[i]!.op),
        );
        sent += batch.length;
      }
      // Wrong types never reach a resolver: not one row was written.
      expect(await tenantRows(game.organization.id)).toBe(before);
      while (sent < 9500) {
        const batch = Array.from({ length: 10 }, () => {
          const [kind, field] = fields[Math.floor(rand() * fields.length)]!;
          return { op: fuzzed(kind, field, "size", rand), field, caller: callers[Math.floor(rand() * 2)]! };
        }).filter((b) => b.op);
        const results = await Promise.all(batch.map((b) => post(b.op, b.caller)));
        results.forEach((r, i) =>
          inspect(`size ${batch[i]!.field.name}`, r.status, r.text, findings, batch[i]!.op),
        );
        sent += batch.length;
      }
      // Ordinary shapes that once answered 500, from a caller who may do nearly anything: a NUL is
      // refused by name wherever it is, an inherited property is no sort field, JSON has its limits.
      const admin = { authorization: `Bearer ${token}` };
      const shaped = fields.filter(([, f]) =>
        f.args.some(
          (a) =>
            ["String", "JSONObject"].includes(getNamedType(a.type).name) ||
            isInputObjectType(getNamedType(a.type)),
        ),
      );
      while (sent < 10_500) {
        const batch = Array.from({ length: 10 }, () => {
          const [kind, field] = shaped[Math.floor(rand() * shaped.length)]!;
          return { op: fuzzed(kind, field, "shape", rand), field };
        }).filter((b) => b.op);
        const results = await Promise.all(batch.map((b) => post(b.op, admin)));
        results.forEach((r, i) => {
          const { op, field } = batch[i]!;
          inspect(`shape ${field.name}`, r.status, r.text, findings, op);
          if (!JSON.stringify(op!.variables).includes("\\u0000")) return;
          const code = JSON.parse(r.text).errors?.[0]?.extensions?.code;
          // BAD_REQUEST: the body passed express's 1 MB limit before anything was read.
          if (!["BAD_USER_INPUT", "FORBIDDEN", "BAD_REQUEST"].includes(code))
            findings.push(`shape ${field.name}: a NUL answered ${r.text.slice(0, 300)}`);
        });
        sent += batch.length;
      }
      // Structural attacks.
      const auth = { authorization: `Bearer ${token}` };
      const structural: [string, () => Promise<{ status: number; text: string }>][] = [
        [
          "deep nesting",
          () =>
            post(
              {
                query: `{ ${"me { organization { id } ".repeat(1)}${"a { ".repeat(200)}${"}".repeat(200)} }`,
              },
              auth,
            ),
        ],
        [
          "thousands of aliases",
          () =>
            post(
              { query: `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: me { id }`).join(" ")} }` },
              auth,
            ),
        ],
        ["a batch", () => post([{ query: "{ me { id } }" }, { query: "{ me { id } }" }], auth)],
        [
          "directive flood",
          () => post({ query: `{ me ${"@include(if: true) ".repeat(500)} { id } }` }, auth),
        ],
        [
          "fragment cycle",
          () =>
            post(
              { query: "query { me { ...A } } fragment A on User { ...B } fragment B on User { ...A }" },
              auth,
            ),
        ],
        ["syntax error", () => post({ query: "{ me { id " }, auth)],
        ["a misspelt field", () => post({ query: "{ mee { id } me { idd } }" }, auth)],
        [
          "a misspelt enum value",
          () => post({ query: "{ allAchievements(filter: { category: activty }) { id } }" }, auth),
        ],
        ["not JSON", () => post("{ query: nope", auth)],
        [
          "a huge body",
          () => post({ query: "{ me { id } }", variables: { pad: "x".repeat(2_000_000) } }, auth),
        ],
        ["unknown operation", () => post({ query: "query A { me { id } }", operationName: "B" }, auth)],
        ["introspection in production", () => post({ query: "{ __schema { types { name } } }" }, auth)],
        [
          "CSRF: a text/plain form post",
          async () => {
            const r = await fetch(`${api.url}/graphql`, {
              method: "POST",
              headers: { "content-type": "text/plain", ...auth },
              body: JSON.stringify({ query: "mutation { markNotificationsRead }" }),
            });
            return { status: r.status, text: await r.text() };
          },
        ],
        [
          "CSRF: a GET mutation",
          async () => {
            const r = await fetch(
              `${api.url}/graphql?query=${encodeURIComponent("mutation { markNotificationsRead }")}`,
              { headers: auth },
            );
            return { status: r.status, text: await r.text() };
          },
        ],
      ];
      for (const [label, attack] of structural) {
        for (let i = 0; i < 50; i++) {
          const r = await attack();
          inspect(label, r.status, r.text, findings);
          expect(r.text, label).not.toMatch(/"data":\{"__schema"/);
          sent++;
        }
      }
      expect([...new Set(findings)].slice(0, 20)).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(11_000);
    },
  );
});

describe("production answers", () => {
  it("suggest nothing, and call nothing a syntax error that is not one", async () => {
    const game = await gameTenant(api);
    const token = await signIn(api, game.admin.user.email);
    const messages = async (query: string, variables?: Record<string, unknown>) => {
      const result = await api.gql(query, variables, token);
      expect(result.errors, query).toBeDefined();
      return result.errors!.map((e) => e.message).join(" | ");
    };
    const enumLiteral = await messages(
      `mutation { createAchievement(key: "k", name: "N", description: "D", category: activty, triggerType: manual) { id } }`,
    );
    expect(enumLiteral).toMatch(/activty/);
    const enumVariable = await messages(
      `query($c: AchievementCategory) { allAchievements(filter: { category: $c }) { id } }`,
      {
        c: "activty",
      },
    );
    expect(enumVariable).toMatch(/activty/);
    const field = await messages(`{ mee { id } }`);
    expect(field).toMatch(/mee/);
    const nest = (n: number): string => (n === 0 ? "id" : `me { ${nest(n - 1)} }`);
    const depth = await messages(`{ ${nest(14)} }`);
    expect(depth).toMatch(/depth/i);
    for (const message of [enumLiteral, enumVariable, field, depth]) {
      expect(message).not.toMatch(/Did you mean|Suggestion/i);
      expect(message).not.toMatch(/Syntax Error/);
    }
  });
});
