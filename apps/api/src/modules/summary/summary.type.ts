import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { ValidationIssue } from "../../lib/issue.type.js";

@ObjectType({ description: "A highlight of the year, for the Wrapped story" })
export class HighlightMoment {
  @Field(() => String, {
    description:
      "first_activity, badge_earned, milestone, busiest_day, longest_streak or year_to_date_preview",
  })
  type: string;

  @Field(() => String, { description: "YYYY-MM-DD, in the organization's zone" })
  date: string;

  @Field(() => String)
  description: string;

  @Field(() => Float, { nullable: true })
  value?: number | null;
}

@ObjectType({ description: "Seed 002: a peer mentor's Wrapped for one calendar year" })
export class AnnualSummary {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => Int)
  year: number;

  @Field(() => Int)
  totalActivities: number;

  @Field(() => Float)
  totalHours: number;

  @Field(() => Int)
  totalContactsReached: number;

  @Field(() => Int)
  totalEventsAttended: number;

  @Field(() => Int)
  badgesEarnedCount: number;

  @Field(() => String, { nullable: true })
  topActivityType: string | null;

  @Field(() => Int, { nullable: true, description: "1-12" })
  mostActiveMonth: number | null;

  @Field(() => Int, { nullable: true })
  streakDays: number | null;

  @Field(() => [HighlightMoment])
  highlightMoments: HighlightMoment[];

  @Field(() => [Int], { description: "12 counts, January first" })
  monthlyActivityCounts: number[];

  @Field(() => String, { description: "pending, processing, ready or failed" })
  generationStatus: string;

  @Field(() => Boolean, { description: "A year-to-date preview of the current year: never a full year" })
  isPreview: boolean;

  @Field(() => Date, { nullable: true })
  generatedAt: Date | null;

  @Field(() => Date, { nullable: true })
  viewedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => [ValidationIssue])
  warnings: ValidationIssue[];
}

@InputType()
export class AnnualSummaryFilter {
  @Field(() => ID, { nullable: true })
  userId?: string;

  @Field(() => Int, { nullable: true })
  year?: number;

  @Field(() => String, { nullable: true })
  generationStatus?: string;

  @Field(() => Boolean, { nullable: true })
  isPreview?: boolean;

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];
}
