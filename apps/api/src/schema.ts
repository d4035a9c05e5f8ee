import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { GuardEdge } from "./lib/edge.js";
import { AchievementResolver } from "./modules/achievement/achievement.resolver.js";
import { ActivityResolver } from "./modules/activity/activity.resolver.js";
import { ActivityTypeResolver } from "./modules/activity-type/activity-type.resolver.js";
import { AdvantageParameterResolver, AdvantageResolver } from "./modules/advantage/advantage.resolver.js";
import { ApiKeyResolver } from "./modules/api-key/api-key.resolver.js";
import { authChecker } from "./modules/auth/auth-checker.js";
import { AuthResolver } from "./modules/auth/auth.resolver.js";
import { BenchResolver } from "./modules/bench/bench.resolver.js";
import { BackfillResolver } from "./modules/backfill/backfill.resolver.js";
import { ConsumableResolver } from "./modules/consumable/consumable.resolver.js";
import { DashboardResolver } from "./modules/dashboard/dashboard.resolver.js";
import { EventResolver } from "./modules/event/event.resolver.js";
import { HealthResolver } from "./modules/health/health.resolver.js";
import { LiveResolver } from "./modules/live/live.resolver.js";
import { MetricResolver } from "./modules/metric/metric.resolver.js";
import { OrganizationResolver } from "./modules/organization/organization.resolver.js";
import { ProgressResolver, StandingResolver } from "./modules/progress/progress.resolver.js";
import { RoleResolver } from "./modules/role/role.resolver.js";
import { AchievementRuleResolver } from "./modules/rule/rule.resolver.js";
import { AnnualSummaryResolver } from "./modules/summary/summary.resolver.js";
import { UserResolver } from "./modules/user/user.resolver.js";
import { WebhookDeliveryResolver, WebhookEndpointResolver } from "./modules/webhook/webhook.resolver.js";

export const resolvers = [
  HealthResolver,
  AuthResolver,
  OrganizationResolver,
  RoleResolver,
  UserResolver,
  ActivityTypeResolver,
  ApiKeyResolver,
  MetricResolver,
  AchievementRuleResolver,
  ConsumableResolver,
  AchievementResolver,
  BackfillResolver,
  EventResolver,
  ActivityResolver,
  ProgressResolver,
  StandingResolver,
  AnnualSummaryResolver,
  AdvantageResolver,
  AdvantageParameterResolver,
  DashboardResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  LiveResolver,
] as const;

/**
 * type-graphql asks for a PubSub as soon as the schema has a subscription, even where each subscription
 * brings its own `subscribe` (Laurel's subscribe to the outbox hub, modules/live): topics are not used.
 */
const noTopics: PubSub = {
  publish() {
    throw new TypeError("Laurel's subscriptions have no topics: they subscribe to the outbox hub");
  },
  subscribe() {
    throw new TypeError("Laurel's subscriptions have no topics: they subscribe to the outbox hub");
  },
};

/** The committed SDL, which the client's types are generated from. */
export const schemaFile = new URL("../schema.graphql", import.meta.url);

const built = new Map<boolean, Promise<GraphQLSchema>>();

/**
 * Built once per process: type-graphql's metadata is global, and building twice costs time for nothing.
 * `bench` adds pnpm bench's baseline mutation; the published schema never has it.
 */
export function getSchema(options: { bench?: boolean } = {}): Promise<GraphQLSchema> {
  const bench = options.bench ?? false;
  if (!built.has(bench)) {
    built.set(
      bench,
      buildSchema({
        resolvers: bench ? [...resolvers, BenchResolver] : resolvers,
        authChecker,
        authMode: "error",
        globalMiddlewares: [GuardEdge],
        pubSub: noTopics,
        validate: false,
      }),
    );
  }
  return built.get(bench)!;
}

export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema())).trim()}\n`;
}

export async function emitSchema(): Promise<void> {
  await writeFile(schemaFile, await printSdl());
}
