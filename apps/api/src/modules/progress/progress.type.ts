import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { AchievementCategory, Comparator, RepeatPeriod } from "../../lib/enums.js";
import { RICH_TEXT_DESCRIPTION } from "../../lib/rich-text.js";

export enum BadgeState {
  LOCKED = "LOCKED",
  IN_PROGRESS = "IN_PROGRESS",
  EARNED = "EARNED",
}
registerEnumType(BadgeState, {
  name: "BadgeState",
  description: "Where a user stands on a badge in its current period",
});

@ObjectType({ description: "A reward granted with an award" })
export class RewardGrant {
  @Field(() => ID)
  consumableId: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  type: string;

  @Field(() => Int)
  quantity: number;

  @Field(() => Float)
  unitValue: number;
}

@ObjectType({ description: "How far one rule of a badge is" })
export class BadgeRule {
  @Field(() => String)
  name: string;

  @Field(() => String)
  metricKey: string;

  @Field(() => Comparator)
  comparator: string;

  @Field(() => Float)
  target: number;

  @Field(() => Float)
  value: number;

  @Field(() => Int)
  weight: number;

  @Field(() => Boolean)
  holds: boolean;

  @Field(() => Float, { nullable: true, description: 'What is left for gte and gt rules: "2 more"' })
  remaining: number | null;
}

@ObjectType({ description: "A badge of the catalog as one user sees it" })
export class Badge {
  @Field(() => ID)
  achievementId: string;

  @Field(() => String, {
    nullable: true,
    description: "The achievement's key (never NULL since hidden badges not yet earned are left out)",
  })
  key: string | null;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: RICH_TEXT_DESCRIPTION })
  description: string;

  @Field(() => String, { nullable: true })
  iconUrl: string | null;

  @Field(() => AchievementCategory)
  category: string;

  @Field(() => Int)
  sortOrder: number;

  @Field(() => Int)
  points: number;

  @Field(() => Boolean, {
    deprecationReason:
      "Always false: a hidden badge not yet earned is left out of the catalog; Standing.hiddenRemaining counts them",
  })
  isMystery: boolean;

  @Field(() => Boolean)
  isRepeatable: boolean;

  @Field(() => RepeatPeriod, { nullable: true })
  repeatPeriod: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => BadgeState)
  state: BadgeState;

  @Field(() => Int, { description: "0-100 in the current period" })
  progress: number;

  @Field(() => String)
  periodKey: string;

  @Field(() => Date, { nullable: true, description: "When it was last earned" })
  earnedAt: Date | null;

  @Field(() => Int, { description: "How many times earned (repeatable badges: once per period)" })
  timesEarned: number;

  @Field(() => Float, { description: "Share of the tenant's participants who earned it, 0-1" })
  rarity: number;

  @Field(() => [BadgeRule])
  rules: BadgeRule[];
}

@ObjectType({ description: "A reward in a user's ledger" })
export class LedgerEntry {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  consumableId: string | null;

  @Field(() => ID, { nullable: true })
  userAchievementId: string | null;

  @Field(() => String)
  type: string;

  @Field(() => Int)
  quantity: number;

  @Field(() => Float)
  unitValue: number;

  @Field(() => String)
  description: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType({ description: "A user's standing: points and badges" })
export class Standing {
  @Field(() => Int)
  points: number;

  @Field(() => Int)
  badgesEarned: number;

  @Field(() => [LedgerEntry])
  rewards: LedgerEntry[];

  /** Whose standing it is: for hiddenRemaining, resolved only when asked. */
  user: { id: string; organizationId: string | null };
}
