import { ArgsType, Field, ID, InputType } from "type-graphql";
import { MetricAggregation, MetricWindow, StreakUnit } from "../../lib/enums.js";
import { JSONObjectScalar } from "../../lib/scalars.js";

@InputType()
export class MetricFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => Boolean, { nullable: true, description: "Only the ones shipped with Laurel (or only not)" })
  isBuiltIn?: boolean;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}

@ArgsType()
export class CreateMetricArgs {
  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String])
  eventTypes: string[];

  @Field(() => MetricAggregation)
  aggregation: string;

  @Field(() => String, { nullable: true })
  distinctAttribute?: string;

  @Field(() => JSONObjectScalar, { nullable: true })
  filter?: Record<string, unknown>;

  @Field(() => MetricWindow, { nullable: true })
  window?: string;

  @Field(() => StreakUnit, { nullable: true })
  streakUnit?: string;

  @Field(() => [String], { nullable: true })
  resetEventTypes?: string[];

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => ID, { nullable: true, description: "Global Administrators only; omitted: platform-wide" })
  organizationId?: string;
}

@ArgsType()
export class UpdateMetricArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[];

  @Field(() => MetricAggregation, { nullable: true })
  aggregation?: string;

  @Field(() => String, { nullable: true })
  distinctAttribute?: string;

  @Field(() => JSONObjectScalar, { nullable: true })
  filter?: Record<string, unknown>;

  @Field(() => MetricWindow, { nullable: true })
  window?: string;

  @Field(() => StreakUnit, { nullable: true })
  streakUnit?: string;

  @Field(() => [String], { nullable: true })
  resetEventTypes?: string[];

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}
