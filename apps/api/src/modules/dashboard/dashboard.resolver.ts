import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { dashboardStats } from "./dashboard.service.js";
import { DashboardStats } from "./dashboard.type.js";

@Resolver(() => DashboardStats)
export class DashboardResolver {
  @Authorized("read:progress")
  @Query(() => DashboardStats, {
    description: "Badges earned per week, most and least earned achievements, and pending background work",
  })
  dashboardStats(
    @Arg("weeks", () => Int, { defaultValue: 12, description: "How many weeks back, 1-104" }) weeks: number,
    @Ctx() ctx: Context,
  ) {
    return dashboardStats(ctx, weeks);
  }
}
