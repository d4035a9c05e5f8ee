import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({
  description: "A user's progress on an achievement in one period, and its award once completed",
})
export class UserAchievement {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  achievementId: string;

  @Field(() => String, {
    description: "all, or the period of a repeatable achievement (2026, 2026-03, 2026-W09)",
  })
  periodKey: string;

  @Field(() => Int, { description: "0-100" })
  progress: number;

  @Field(() => Boolean)
  completed: boolean;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => Int)
  pointsAwarded: number;

  @Field(() => ID, { nullable: true, description: "Who granted it by hand, for manual grants" })
  grantedById: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType({ description: "A change of progress caused by an event" })
export class ProgressChange {
  @Field(() => ID)
  achievementId: string;

  @Field(() => String)
  periodKey: string;

  @Field(() => Int)
  progress: number;

  @Field(() => Boolean)
  completed: boolean;
}
