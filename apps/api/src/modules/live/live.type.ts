import { Field, ID, Int, ObjectType } from "type-graphql";
import { JSONObjectScalar } from "../../lib/scalars.js";

@ObjectType({ description: "An achievement as an event describes it, at the time of the event" })
export class EventAchievement {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  category: string;

  @Field(() => Int)
  points: number;

  @Field(() => Boolean, { description: "A hidden achievement: only its holder (and admins) see it" })
  hidden: boolean;
}

@ObjectType({ description: "What an achievement.earned event tells, typed (the same as its `data`)" })
export class EarnedAchievement {
  @Field(() => EventAchievement)
  achievement: EventAchievement;

  @Field(() => String, {
    description: "all for a one-off achievement, else the period it was earned for (2026, 2026-05 ...)",
  })
  periodKey: string;

  @Field(() => Date)
  earnedAt: Date;

  @Field(() => ID)
  userAchievementId: string;

  @Field(() => ID, { nullable: true, description: "The event that completed it, if an event did" })
  triggeringEventId: string | null;

  @Field(() => ID, { nullable: true, description: "The admin who granted it by hand, if one did" })
  grantedById: string | null;
}

@ObjectType({
  description:
    "An event Laurel tells, live: the same id, type and payload as its webhook delivery and its NATS message " +
    "(the event catalogue in the README). Sent once it committed; what the subscriber may not see is left out.",
})
export class OutboxEvent {
  @Field(() => ID, { description: "Stable: the webhook delivery's webhook-id and the NATS message id" })
  id: string;

  @Field(() => String, {
    description:
      "achievement.earned, progress.changed, reward.granted, summary.ready or advantage.calculated",
  })
  type: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => ID, { nullable: true, description: "The person it is about" })
  userId: string | null;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => JSONObjectScalar, {
    description:
      "The payload as the catalogue documents it. progress.changed lists only the achievements the subscriber may see.",
  })
  data: Record<string, unknown>;

  @Field(() => EarnedAchievement, { nullable: true, description: "achievement.earned: what was earned" })
  earned: EarnedAchievement | null;
}
