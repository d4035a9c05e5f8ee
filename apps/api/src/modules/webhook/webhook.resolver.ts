import { OUTBOX_TYPES } from "@laurel/engine";
import DataLoader from "dataloader";
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver, listResolver } from "../../lib/crud-resolver.js";
import { type DeliveryStats, deliveryStats, webhookDeliveryService } from "./webhook-delivery.service.js";
import { type EndpointView, webhookEndpointService } from "./webhook-endpoint.service.js";
import {
  CreateWebhookEndpointArgs,
  ReplayWebhookDeliveriesArgs,
  RotateWebhookSecretArgs,
  UpdateWebhookEndpointArgs,
  WebhookDeliveryFilter,
  WebhookEndpointFilter,
} from "./webhook.input.js";
import { WebhookDelivery, WebhookDeliveryStats, WebhookEndpoint } from "./webhook.type.js";

/** One loader of delivery counts per request: a list of endpoints costs one statement, not one each. */
const statsLoaders = new WeakMap<Context, DataLoader<string, DeliveryStats>>();
function statsLoader(ctx: Context): DataLoader<string, DeliveryStats> {
  let loader = statsLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids: readonly string[]) => deliveryStats(ctx, ids));
    statsLoaders.set(ctx, loader);
  }
  return loader;
}

const MANAGE = "manage:webhooks" as const;

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver extends crudResolver({
  type: WebhookEndpoint,
  plural: "WebhookEndpoints",
  filter: WebhookEndpointFilter,
  createArgs: CreateWebhookEndpointArgs,
  updateArgs: UpdateWebhookEndpointArgs,
  service: webhookEndpointService,
  read: [MANAGE],
  create: [MANAGE],
  update: [MANAGE],
  remove: [MANAGE],
}) {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The signing secret (whsec_...): only in the answer of createWebhookEndpoint and rotateWebhookEndpointSecret, null everywhere else",
  })
  secret(@Root() endpoint: EndpointView): string | null {
    return endpoint.revealedSecret ?? null;
  }

  @FieldResolver(() => WebhookDeliveryStats)
  deliveryStats(@Root() endpoint: EndpointView, @Ctx() ctx: Context): Promise<DeliveryStats> {
    return statsLoader(ctx).load(endpoint.id);
  }

  @Authorized(MANAGE)
  @Mutation(() => WebhookEndpoint, {
    description:
      "A new secret, shown once in this answer; the old one keeps signing beside it until previousSecretUntil",
  })
  rotateWebhookEndpointSecret(
    @Args(() => RotateWebhookSecretArgs) args: RotateWebhookSecretArgs,
    @Ctx() ctx: Context,
  ) {
    return webhookEndpointService.rotateSecret(ctx, args);
  }

  @Authorized(MANAGE)
  @Mutation(() => WebhookDelivery, { description: 'Sends a "webhook.test" event to this endpoint only' })
  sendTestWebhook(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return webhookEndpointService.sendTestWebhook(ctx, id);
  }

  @Authorized(MANAGE)
  @Query(() => [String], { description: "The outbox event types a webhook endpoint may receive" })
  webhookEventTypes(): string[] {
    return [...OUTBOX_TYPES];
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver extends listResolver({
  type: WebhookDelivery,
  plural: "WebhookDeliveries",
  filter: WebhookDeliveryFilter,
  service: webhookDeliveryService,
  read: [MANAGE],
}) {
  @Authorized(MANAGE)
  @Mutation(() => WebhookDelivery, { description: "Back to PENDING, due now, attempts counted afresh" })
  replayWebhookDelivery(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return webhookDeliveryService.replay(ctx, id);
  }

  @Authorized(MANAGE)
  @Mutation(() => Int, {
    description: "Replays every FAILED delivery of the endpoint created since `since`; returns how many",
  })
  replayWebhookDeliveries(
    @Args(() => ReplayWebhookDeliveriesArgs) args: ReplayWebhookDeliveriesArgs,
    @Ctx() ctx: Context,
  ) {
    return webhookDeliveryService.replayAll(ctx, args);
  }
}
