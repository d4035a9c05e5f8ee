import type { IntrospectionField, IntrospectionInputTypeRef, IntrospectionType } from "graphql";
import buildGraphQLProvider, { buildQueryFactory, buildVariables } from "ra-data-graphql-simple";
import type { DataProvider } from "react-admin";
import { fromAdapterError } from "./errors";
import { graphqlRequest, GRAPHQL_URI } from "./graphql";
import { introspectionSchema } from "./introspection";
import { authHeaders } from "./token";
import { webhookOperations } from "./webhooks";

type VariablesBuilder = typeof buildVariables;
type IntrospectionResults = Parameters<VariablesBuilder>[0];

function namedType(ref: IntrospectionInputTypeRef): IntrospectionInputTypeRef {
  return "ofType" in ref && ref.ofType ? namedType(ref.ofType) : ref;
}

/** A value cut down to what an input type accepts: no __typename, no read-only fields of the output type. */
function clean(value: unknown, ref: IntrospectionInputTypeRef, types: readonly IntrospectionType[]): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => clean(item, ref, types));
  const named = namedType(ref);
  if (named.kind !== "INPUT_OBJECT" || typeof value !== "object") return value;
  const type = types.find((t) => t.name === named.name);
  if (!type || type.kind !== "INPUT_OBJECT") return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    type.inputFields
      .filter((field) => record[field.name] !== undefined)
      .map((field) => [field.name, clean(record[field.name], field.type, types)]),
  );
}

/**
 * The adapter's variables, then, for creates and updates, only the mutation's own arguments: a record
 * read back carries fields (isPlatform, warnings, rules ...) and __typenames the mutation does not take.
 */
const cleanVariables: VariablesBuilder =
  (introspectionResults: IntrospectionResults) => (resource, raFetchMethod, params, queryType) => {
    const variables = buildVariables(introspectionResults)(
      resource,
      raFetchMethod,
      params,
      queryType,
    ) as Record<string, unknown>;
    if (raFetchMethod !== "CREATE" && raFetchMethod !== "UPDATE") return variables;
    const field = queryType as IntrospectionField;
    return Object.fromEntries(
      field.args
        .filter((arg) => variables[arg.name] !== undefined)
        .map((arg) => [arg.name, clean(variables[arg.name], arg.type, introspectionResults.types)]),
    );
  };

const adapter = buildGraphQLProvider({
  clientOptions: { uri: GRAPHQL_URI },
  introspection: { schema: introspectionSchema },
  buildQuery: buildQueryFactory(cleanVariables),
  // The token is read per request, so signing in again needs no new client.
  query: () => ({ context: { headers: authHeaders() } }),
  mutation: () => ({ context: { headers: authHeaders() } }),
});

export type BadgeProgress = {
  achievementId: string;
  name: string;
  key: string | null;
  iconUrl: string | null;
  category: string;
  progress: number;
  state: "EARNED" | "IN_PROGRESS" | "LOCKED";
  earnedAt: string | null;
  timesEarned: number;
  isMystery: boolean;
};

export type Standing = {
  points: number;
  badgesEarned: number;
  rewards: {
    id: string;
    type: string;
    description: string;
    quantity: number;
    unitValue: number;
    createdAt: string;
  }[];
};

export type BackfillRun = {
  id: string;
  status: string;
  dryRun: boolean;
  matchedCount: number | null;
  awardedCount: number | null;
};

export type DashboardStats = {
  badgesPerWeek: { weekStart: string; count: number }[];
  mostEarned: { achievementId: string; name: string; count: number }[];
  leastEarned: { achievementId: string; name: string; count: number }[];
  pendingSummaries: number;
  pendingBackfills: number;
  runningBackfills: number;
};

/** The operations beyond CRUD, next to it, as react-admin's demo adds custom methods to its provider. */
const custom = {
  userProgress: (userId: string) =>
    graphqlRequest<{ userProgress: BadgeProgress[] }>(
      `query($userId: ID!) { userProgress(userId: $userId) {
        achievementId name key iconUrl category progress state earnedAt timesEarned isMystery } }`,
      { userId },
    ).then((d) => d.userProgress),
  userStanding: (userId: string) =>
    graphqlRequest<{ userStanding: Standing }>(
      `query($userId: ID!) { userStanding(userId: $userId) {
        points badgesEarned rewards { id type description quantity unitValue createdAt } } }`,
      { userId },
    ).then((d) => d.userStanding),
  grantAchievement: (userId: string, achievementId: string) =>
    graphqlRequest<{ grantAchievement: { id: string; completed: boolean } }>(
      `mutation($userId: ID!, $achievementId: ID!) {
        grantAchievement(userId: $userId, achievementId: $achievementId) { id completed } }`,
      { userId, achievementId },
    ).then((d) => d.grantAchievement),
  backfillAchievement: (id: string, options: { notifyUsers: boolean; dryRun: boolean }) =>
    graphqlRequest<{ backfillAchievement: BackfillRun }>(
      `mutation($id: ID!, $notifyUsers: Boolean!, $dryRun: Boolean!) {
        backfillAchievement(id: $id, notifyUsers: $notifyUsers, dryRun: $dryRun) {
          id status dryRun matchedCount awardedCount } }`,
      { id, ...options },
    ).then((d) => d.backfillAchievement),
  requeueAnnualSummary: (userId: string, year: number) =>
    graphqlRequest<{ requeueAnnualSummary: { id: string; generationStatus: string } }>(
      `mutation($userId: ID!, $year: Int!) { requeueAnnualSummary(userId: $userId, year: $year) { id generationStatus } }`,
      { userId, year },
    ).then((d) => d.requeueAnnualSummary),
  /** The modules the installation offers: the choices for an organization's modules and an achievement's gate. */
  platformModules: () =>
    graphqlRequest<{ platformModules: string[] }>(`{ platformModules }`).then((d) => d.platformModules),
  dashboardStats: (weeks = 12) =>
    graphqlRequest<{ dashboardStats: DashboardStats }>(
      `query($weeks: Int) { dashboardStats(weeks: $weeks) {
        badgesPerWeek { weekStart count }
        mostEarned { achievementId name count }
        leastEarned { achievementId name count }
        pendingSummaries pendingBackfills runningBackfills } }`,
      { weeks },
    ).then((d) => d.dashboardStats),
  ...webhookOperations,
};

type CrudMethod =
  | "getList"
  | "getOne"
  | "getMany"
  | "getManyReference"
  | "create"
  | "update"
  | "updateMany"
  | "delete"
  | "deleteMany";
const CRUD: CrudMethod[] = [
  "getList",
  "getOne",
  "getMany",
  "getManyReference",
  "create",
  "update",
  "updateMany",
  "delete",
  "deleteMany",
];

/** The adapter's CRUD, its GraphQL errors turned into what react-admin shows (field errors, 401, 403). */
const crud = Object.fromEntries(
  CRUD.map((method) => [
    method,
    (...args: unknown[]) =>
      (adapter[method] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
        throw fromAdapterError(error);
      }),
  ]),
) as unknown as Pick<DataProvider, CrudMethod>;

export const dataProvider = { ...adapter, ...crud, ...custom };
export type LaurelDataProvider = typeof dataProvider;
