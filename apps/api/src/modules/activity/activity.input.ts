import { ArgsType, Field, ID, InputType, Int } from "type-graphql";

@InputType()
export class ActivityFilter {
  @Field(() => ID, { nullable: true })
  userId?: string;

  @Field(() => ID, { nullable: true })
  activityTypeId?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => Date, { nullable: true, description: "Occurred at or after" })
  from?: Date;

  @Field(() => Date, { nullable: true, description: "Occurred before" })
  to?: Date;

  @Field(() => Boolean, { nullable: true, description: "Include deleted activities" })
  includeDeleted?: boolean;
}

@ArgsType()
export class LogActivityArgs {
  @Field(() => ID)
  activityTypeId: string;

  @Field(() => Int)
  durationMinutes: number;

  @Field(() => Date, { nullable: true, description: "Default: now" })
  occurredAt?: Date;

  @Field(() => String, { nullable: true })
  contactRef?: string;

  @Field(() => String, { nullable: true })
  notes?: string;

  @Field(() => ID, {
    nullable: true,
    description: "Log for another user of your organization (needs ingest:events)",
  })
  userId?: string;
}

@ArgsType()
export class UpdateActivityArgs {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  activityTypeId?: string;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number;

  @Field(() => Date, { nullable: true })
  occurredAt?: Date;

  @Field(() => String, { nullable: true })
  contactRef?: string;

  @Field(() => String, { nullable: true })
  notes?: string;
}
