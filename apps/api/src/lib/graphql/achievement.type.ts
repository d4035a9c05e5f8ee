import { Field, ID, Int, ObjectType } from "type-graphql";
import { AchievementCategory, RepeatPeriod, TriggerType } from "../enums.js";
import { ValidationIssue } from "../issue.type.js";
import { JSONObjectScalar } from "../scalars.js";
import { RICH_TEXT_DESCRIPTION } from "../rich-text.js";

@ObjectType({ description: "A reward an achievement grants, and how many" })
export class AchievementReward {
  @Field(() => ID)
  consumableId: string;

  @Field(() => Int)
  quantity: number;
}

@ObjectType({
  description: "An achievement (badge): seed 000's fields and seed 001's hidden, expiry, rules and rewards",
})
export class Achievement {
  @Field(() => ID)
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: "NULL: platform-wide, changed by Global Administrators only",
  })
  organizationId: string | null;

  @Field(() => String, { description: "Stable machine key, e.g. first_win" })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: RICH_TEXT_DESCRIPTION })
  description: string;

  @Field(() => String, { nullable: true })
  iconUrl: string | null;

  @Field(() => AchievementCategory)
  category: string;

  @Field(() => TriggerType)
  triggerType: string;

  @Field(() => Int, { nullable: true })
  triggerThreshold: number | null;

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'e.g. {"activity_type": "home_visit", "period": "calendar_year"}',
  })
  triggerMetadata: Record<string, unknown> | null;

  @Field(() => ID, {
    nullable: true,
    description: "For count-based triggers: the metric the threshold applies to",
  })
  triggerMetricId: string | null;

  @Field(() => Int)
  points: number;

  @Field(() => Boolean)
  isRepeatable: boolean;

  @Field(() => RepeatPeriod, { nullable: true })
  repeatPeriod: string | null;

  @Field(() => Boolean)
  isActive: boolean;

  @Field(() => Boolean)
  isHidden: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => String, { nullable: true })
  requiresModule: string | null;

  @Field(() => Int)
  sortOrder: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Boolean, { description: "Platform-wide: read-only to organization admins" })
  isPlatform: boolean;

  @Field(() => [ID])
  ruleIds: string[];

  @Field(() => [AchievementReward])
  rewards: AchievementReward[];

  @Field(() => [ValidationIssue], {
    description: "Rules of severity warning this achievement breaks (never blocking)",
  })
  warnings: ValidationIssue[];
}
