import { Field, ID, Int, ObjectType } from "type-graphql";
import { ProgressChange, UserAchievement } from "../../lib/graphql/award.type.js";

@ObjectType({ description: "What a peer mentor logged: a home visit, a call, an event ..." })
export class Activity {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  activityTypeId: string;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => Int)
  durationMinutes: number;

  @Field(() => String, { nullable: true, description: "Pseudonymous reference to the contact helped" })
  contactRef: string | null;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => Date, { nullable: true })
  deletedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType({ description: "An activity logged or corrected, and the badges it unlocked" })
export class ActivityResult {
  @Field(() => Activity)
  activity: Activity;

  @Field(() => [UserAchievement])
  awards: UserAchievement[];

  @Field(() => [ProgressChange])
  progress: ProgressChange[];
}

@ObjectType({ description: "A user took part in an event" })
export class EventAttendance {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  userId: string;

  @Field(() => String)
  eventRef: string;

  @Field(() => String)
  eventName: string;

  @Field(() => Date)
  attendedAt: Date;
}

@ObjectType()
export class AttendanceResult {
  @Field(() => EventAttendance)
  attendance: EventAttendance;

  @Field(() => Boolean, { description: "True when it was recorded before: nothing was counted again" })
  replayed: boolean;

  @Field(() => [UserAchievement])
  awards: UserAchievement[];
}
