import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Context } from "../../context.js";
import { listResolver } from "../../lib/crud-resolver.js";
import { ActivityType } from "../../lib/graphql/activity-type.type.js";
import { ActivityFilter, LogActivityArgs, UpdateActivityArgs } from "./activity.input.js";
import * as service from "./activity.service.js";
import type { ActivityRow } from "./activity.service.js";
import { Activity, ActivityResult, AttendanceResult } from "./activity.type.js";

/** Activities: your own, or your organization's with read:progress. */
@Resolver(() => Activity)
export class ActivityResolver extends listResolver({
  type: Activity,
  plural: "Activities",
  filter: ActivityFilter,
  service: { get: service.getActivity, ...service.activityList },
  read: [],
}) {
  @Authorized("log:activities", "ingest:events")
  @Mutation(() => ActivityResult, {
    description: "Logs an activity; the result carries any badge it unlocked",
  })
  logActivity(@Args(() => LogActivityArgs) args: LogActivityArgs, @Ctx() ctx: Context) {
    return service.logActivity(ctx, args);
  }

  @Authorized("log:activities", "ingest:events")
  @Mutation(() => ActivityResult, {
    description: "Corrects an activity: metrics, Wrapped and the calculator follow",
  })
  updateActivity(@Args(() => UpdateActivityArgs) args: UpdateActivityArgs, @Ctx() ctx: Context) {
    return service.updateActivity(ctx, args);
  }

  @Authorized("log:activities", "ingest:events")
  @Mutation(() => Activity, { description: "Deletes an activity (kept for the record, counted nowhere)" })
  deleteActivity(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return service.deleteActivity(ctx, id);
  }

  @Authorized("log:activities", "ingest:events")
  @Mutation(() => AttendanceResult, {
    description: "Records that a user took part in an event, once per event",
  })
  attendEvent(
    @Arg("eventRef", () => String) eventRef: string,
    @Arg("eventName", () => String) eventName: string,
    @Arg("attendedAt", () => Date, { nullable: true }) attendedAt: Date | undefined,
    @Arg("userId", () => ID, { nullable: true }) userId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return service.attendEvent(ctx, { eventRef, eventName, attendedAt, userId });
  }

  @Authorized()
  @Query(() => [Activity], { description: "Your latest activities" })
  myActivities(@Arg("limit", () => Int, { defaultValue: 20 }) limit: number, @Ctx() ctx: Context) {
    return service.recentActivities(ctx, limit);
  }

  @FieldResolver(() => ActivityType)
  activityType(@Root() activity: ActivityRow, @Ctx() ctx: Context) {
    return ctx.loaders.activityType.load(activity.activityTypeId);
  }
}
