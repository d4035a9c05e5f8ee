import { Resolver } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { ActivityTypeFilter, CreateActivityTypeArgs, UpdateActivityTypeArgs } from "./activity-type.input.js";
import { activityTypeService } from "./activity-type.service.js";
import { ActivityType } from "../../lib/graphql/activity-type.type.js";

@Resolver(() => ActivityType)
export class ActivityTypeResolver extends crudResolver({
  type: ActivityType,
  plural: "ActivityTypes",
  filter: ActivityTypeFilter,
  createArgs: CreateActivityTypeArgs,
  updateArgs: UpdateActivityTypeArgs,
  service: activityTypeService,
  read: [],
  create: ["manage:organization"],
  update: ["manage:organization"],
  remove: ["manage:organization"],
}) {}
