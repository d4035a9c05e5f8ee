import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { health } from "./health.service.js";
import { Health } from "./health.type.js";

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: "Whether the API and its database answer; needs no sign-in" })
  health(@Ctx() ctx: Context) {
    return health(ctx.app);
  }
}
