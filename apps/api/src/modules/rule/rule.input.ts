import { ArgsType, Field, Float, ID, InputType, Int } from "type-graphql";
import { Comparator } from "../../lib/enums.js";

@InputType()
export class AchievementRuleFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => ID, { nullable: true })
  metricId?: string;
}

@ArgsType()
export class CreateAchievementRuleArgs {
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

  @Field(() => ID, { nullable: true, description: "Global Administrators only; omitted: platform-wide" })
  organizationId?: string;
}

@ArgsType()
export class UpdateAchievementRuleArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => ID, { nullable: true })
  metricId?: string;

  @Field(() => Comparator, { nullable: true })
  comparator?: string;

  @Field(() => Float, { nullable: true })
  target?: number;

  @Field(() => Int, { nullable: true })
  weight?: number;
}
