import { Field, ID, Int, ObjectType } from "type-graphql";
import { BackfillStatus } from "../../lib/enums.js";

@ObjectType({ description: "Background work on history: an achievement backfill or a metric recompute" })
export class BackfillRun {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: "achievement or metric" })
  kind: string;

  @Field(() => ID, { nullable: true })
  achievementId: string | null;

  @Field(() => ID, { nullable: true })
  metricId: string | null;

  @Field(() => ID, { nullable: true })
  organizationId: string | null;

  @Field(() => Boolean)
  notifyUsers: boolean;

  @Field(() => Boolean, { description: "Counted only: nobody was awarded" })
  dryRun: boolean;

  @Field(() => BackfillStatus)
  status: string;

  @Field(() => Int, {
    nullable: true,
    description: "Users who qualify (achievement) or values computed (metric)",
  })
  matchedCount: number | null;

  @Field(() => Int, { nullable: true })
  awardedCount: number | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}
