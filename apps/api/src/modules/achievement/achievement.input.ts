import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { AchievementCategory, RepeatPeriod, TriggerType } from "../../lib/enums.js";
import { JSONObjectScalar } from "../../lib/scalars.js";
import { RICH_TEXT_DESCRIPTION } from "../../lib/rich-text.js";

@InputType()
export class AchievementFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => AchievementCategory, { nullable: true })
  category?: string;

  @Field(() => TriggerType, { nullable: true })
  triggerType?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => Boolean, { nullable: true })
  isHidden?: boolean;

  @Field(() => Boolean, { nullable: true })
  isPlatform?: boolean;
}

@InputType()
export class AchievementRewardInput {
  @Field(() => ID)
  consumableId: string;

  @Field(() => Int, { nullable: true, description: "Default 1" })
  quantity?: number;
}

@ArgsType()
export class CreateAchievementArgs {
  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: RICH_TEXT_DESCRIPTION })
  description: string;

  @Field(() => String, { nullable: true })
  iconUrl?: string;

  @Field(() => AchievementCategory)
  category: string;

  @Field(() => TriggerType)
  triggerType: string;

  @Field(() => Int, { nullable: true })
  triggerThreshold?: number;

  @Field(() => JSONObjectScalar, { nullable: true })
  triggerMetadata?: Record<string, unknown>;

  @Field(() => Int, { nullable: true })
  points?: number;

  @Field(() => Boolean, { nullable: true })
  isRepeatable?: boolean;

  @Field(() => RepeatPeriod, { nullable: true })
  repeatPeriod?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => Boolean, { nullable: true })
  isHidden?: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;

  @Field(() => String, { nullable: true })
  requiresModule?: string;

  @Field(() => Int, { nullable: true })
  sortOrder?: number;

  @Field(() => [ID], { nullable: true, description: "For the rules trigger: rules whose weights sum to 100" })
  ruleIds?: string[];

  @Field(() => [AchievementRewardInput], { nullable: true })
  rewards?: AchievementRewardInput[];

  @Field(() => ID, { nullable: true, description: "Global Administrators only; omitted: platform-wide" })
  organizationId?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: "Notify the users who already qualify when they are awarded it",
  })
  notifyOnBackfill?: boolean;
}

@ArgsType()
export class UpdateAchievementArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  key?: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true, description: RICH_TEXT_DESCRIPTION })
  description?: string;

  @Field(() => String, { nullable: true })
  iconUrl?: string;

  @Field(() => AchievementCategory, { nullable: true })
  category?: string;

  @Field(() => TriggerType, { nullable: true })
  triggerType?: string;

  @Field(() => Int, { nullable: true })
  triggerThreshold?: number;

  @Field(() => JSONObjectScalar, { nullable: true })
  triggerMetadata?: Record<string, unknown>;

  @Field(() => Int, { nullable: true })
  points?: number;

  @Field(() => Boolean, { nullable: true })
  isRepeatable?: boolean;

  @Field(() => RepeatPeriod, { nullable: true })
  repeatPeriod?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => Boolean, { nullable: true })
  isHidden?: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;

  @Field(() => String, { nullable: true })
  requiresModule?: string;

  @Field(() => Int, { nullable: true })
  sortOrder?: number;

  @Field(() => [ID], { nullable: true })
  ruleIds?: string[];

  @Field(() => [AchievementRewardInput], { nullable: true })
  rewards?: AchievementRewardInput[];

  @Field(() => Boolean, { nullable: true })
  notifyOnBackfill?: boolean;
}
