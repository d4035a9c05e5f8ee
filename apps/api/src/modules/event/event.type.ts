import { Field, Float, ID, ObjectType } from "type-graphql";
import { JSONObjectScalar } from "../../lib/scalars.js";
import { ProgressChange, UserAchievement } from "../../lib/graphql/award.type.js";

@ObjectType({ description: "Something that happened to a user: the input of every metric" })
export class Event {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  userId: string;

  @Field(() => String)
  type: string;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => JSONObjectScalar)
  attributes: Record<string, unknown>;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => String, { nullable: true })
  idempotencyKey: string | null;

  @Field(() => String, { description: "api_key, admin, activity, attendance or system" })
  source: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType({ description: "What an event did: the awards it completed and the progress it moved" })
export class EventResult {
  @Field(() => Event)
  event: Event;

  @Field(() => Boolean, {
    description: "True when the idempotency key was seen before: nothing was counted again",
  })
  replayed: boolean;

  @Field(() => [UserAchievement])
  awards: UserAchievement[];

  @Field(() => [ProgressChange])
  progress: ProgressChange[];
}
