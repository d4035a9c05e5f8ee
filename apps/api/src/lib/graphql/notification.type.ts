import { Field, ID, ObjectType } from "type-graphql";
import { JSONObjectScalar } from "../scalars.js";

/** Shared by the notifications list (progress) and the live events that carry one (live). */
@ObjectType()
export class Notification {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  type: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  body: string;

  @Field(() => JSONObjectScalar, { nullable: true })
  data: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  readAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}
