import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import { checkArguments } from "../../lib/edge.js";
import { UserAchievement } from "../../lib/graphql/award.type.js";
import { Notification } from "../../lib/graphql/notification.type.js";
import type { Relayed } from "../../outbox/hub.js";
import * as service from "./live.service.js";
import { OutboxEvent } from "./live.type.js";

const TYPES = {
  nullable: true,
  description: "Only these event types (achievement.earned, progress.changed ...); all when left out",
} as const;

/** A subscription's arguments at the edge (ids, list sizes): the edge middleware sees only each event's resolve. */
function checked(info: GraphQLResolveInfo, args: Record<string, unknown>): void {
  checkArguments(info.parentType.getFields()[info.fieldName]!.args, args);
}

/**
 * Live events over WebSocket (graphql-ws on /graphql; transport/websocket.ts). Each `subscribe` subscribes
 * to this process's hub of committed outbox events; each event is resolved as an OutboxEvent.
 */
@Resolver(() => OutboxEvent)
export class LiveResolver {
  @Authorized()
  @Subscription(() => OutboxEvent, {
    description:
      "Your own events as they happen: your awards (with the award and its notification), progress, rewards, " +
      "Wrapped and calculations. Progress on a hidden badge you have not earned is left out.",
    subscribe: ({ args, context, info }) => {
      checked(info, args);
      return service.myEvents(context as Context, args.types as string[] | undefined);
    },
  })
  myEvents(
    @Root() event: Relayed,
    @Arg("types", () => [String], TYPES) _types: string[] | undefined,
  ): OutboxEvent {
    return service.toOutboxEvent(event);
  }

  @Authorized("read:events")
  @Subscription(() => OutboxEvent, {
    description:
      "Every event of your organization as it happens (Global Administrators name one). API keys with " +
      "read:events may follow it; they never see hidden achievements.",
    subscribe: ({ args, context, info }) => {
      checked(info, args);
      return service.organizationEvents(context as Context, args);
    },
  })
  organizationEvents(
    @Root() event: Relayed,
    @Arg("types", () => [String], TYPES) _types: string[] | undefined,
    @Arg("organizationId", () => ID, {
      nullable: true,
      description:
        "Global Administrators: the organization to follow (required); anyone else follows their own",
    })
    _organizationId: string | undefined,
  ): OutboxEvent {
    return service.toOutboxEvent(event);
  }

  @FieldResolver(() => UserAchievement, {
    nullable: true,
    description:
      "achievement.earned: the award, as the unlock dialog shows it (achievement, points, rewards)",
  })
  award(@Root() event: OutboxEvent, @Ctx() ctx: Context) {
    return service.awardOf(ctx, event);
  }

  @FieldResolver(() => Notification, {
    nullable: true,
    description: "achievement.earned: the notification written with the award, for the person it is for",
  })
  notification(@Root() event: OutboxEvent, @Ctx() ctx: Context) {
    return service.notificationOf(ctx, event);
  }
}
