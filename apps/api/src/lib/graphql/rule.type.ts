import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Comparator } from "../enums.js";

@ObjectType({
  description: "One condition on one metric, with its weight (0-100) in an achievement's progress",
})
export class AchievementRule {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  organizationId: string | null;

  @Field(() => String)
  name: string;

  @Field(() => ID)
  metricId: string;

  @Field(() => Comparator)
  comparator: string;

  @Field(() => Float)
  target: number;

  @Field(() => Int)
  weight: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}
