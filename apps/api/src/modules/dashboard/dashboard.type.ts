import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Badges earned in one week (weeks start on Monday, UTC)" })
export class WeeklyCount {
  @Field(() => String, { description: "YYYY-MM-DD: the Monday the week starts on" })
  weekStart: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: "How many times an achievement was earned" })
export class AchievementCount {
  @Field(() => ID)
  achievementId: string;

  @Field(() => String)
  name: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: "The admin panel's dashboard: badges earned, and background work waiting" })
export class DashboardStats {
  @Field(() => [WeeklyCount], { description: "Oldest week first, weeks with none included" })
  badgesPerWeek: WeeklyCount[];

  @Field(() => [AchievementCount], { description: "Active achievements earned most often (at most 5)" })
  mostEarned: AchievementCount[];

  @Field(() => [AchievementCount], { description: "Active achievements earned least often (at most 5)" })
  leastEarned: AchievementCount[];

  @Field(() => Int, { description: "Annual summaries waiting to be made" })
  pendingSummaries: number;

  @Field(() => Int)
  pendingBackfills: number;

  @Field(() => Int)
  runningBackfills: number;
}
