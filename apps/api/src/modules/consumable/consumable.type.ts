import { Field, Float, ID, ObjectType } from "type-graphql";
import { ConsumableType } from "../../lib/enums.js";

@ObjectType({ description: 'A reward item granted on completion, e.g. "50 XP Boost"' })
export class Consumable {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  organizationId: string | null;

  @Field(() => String)
  name: string;

  @Field(() => ConsumableType)
  type: string;

  @Field(() => Float)
  value: number;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}
