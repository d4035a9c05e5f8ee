import { schema } from "@laurel/db";
import { and, eq, type SQL } from "drizzle-orm";
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { NotFound } from "../../errors.js";
import { countRows, selectPage } from "../../lib/crud.js";
import { listResolver } from "../../lib/crud-resolver.js";
import { getAchievement } from "../../lib/directory.js";
import type { ListArgs } from "../../lib/list.js";
import { assertCanWrite, ownRows, requireUser } from "../../lib/tenancy.js";
import { ofVisibleAchievement } from "../../scoring/visibility.js";
import { enqueueBackfill, runBackfill } from "../../scoring/backfill.js";
import { BackfillRun } from "./backfill.type.js";

const { backfillRuns } = schema;

@InputType()
export class BackfillRunFilter {
  @Field(() => ID, { nullable: true })
  achievementId?: string;

  @Field(() => String, { nullable: true })
  status?: string;
}

async function whereOf(ctx: Context, filter: BackfillRunFilter = {}): Promise<SQL | undefined> {
  return and(
    ownRows(ctx, backfillRuns.organizationId),
    await ofVisibleAchievement(ctx, backfillRuns.achievementId),
    filter.achievementId ? eq(backfillRuns.achievementId, filter.achievementId) : undefined,
    filter.status
      ? eq(backfillRuns.status, filter.status as (typeof backfillRuns.$inferSelect)["status"])
      : undefined,
  );
}

const sortable = { id: backfillRuns.id, createdAt: backfillRuns.createdAt, status: backfillRuns.status };

const backfillList = {
  async get(ctx: Context, id: string) {
    const [row] = await ctx.db
      .select()
      .from(backfillRuns)
      .where(and(eq(backfillRuns.id, id), await whereOf(ctx)));
    if (!row) throw new NotFound("BackfillRun", id);
    return row;
  },
  list: async (ctx: Context, args: ListArgs, filter?: BackfillRunFilter) =>
    selectPage(
      ctx.db,
      backfillRuns,
      await whereOf(ctx, filter),
      { sortOrder: "DESC", ...args },
      sortable,
      "createdAt",
    ),
  count: async (ctx: Context, filter?: BackfillRunFilter) =>
    countRows(ctx.db, backfillRuns, await whereOf(ctx, filter)),
};

@Resolver(() => BackfillRun)
export class BackfillResolver extends listResolver({
  type: BackfillRun,
  plural: "BackfillRuns",
  filter: BackfillRunFilter,
  service: backfillList,
  read: ["update:achievementDefinitions", "read:progress"],
}) {
  @Authorized("update:achievementDefinitions")
  @Mutation(() => BackfillRun, {
    description:
      "Awards an achievement to the users who already qualify, in the background. With dryRun, only counts them, and answers at once.",
  })
  async backfillAchievement(
    @Arg("id", () => ID) id: string,
    @Arg("notifyUsers", () => Boolean, { defaultValue: false }) notifyUsers: boolean,
    @Arg("dryRun", () => Boolean, { defaultValue: false }) dryRun: boolean,
    @Ctx() ctx: Context,
  ) {
    const achievement = await getAchievement(ctx, id);
    const viewer = requireUser(ctx);
    // Organization admins backfill their own tenant, also for a platform-wide achievement.
    const organizationId = achievement.organizationId ?? viewer.organizationId;
    if (achievement.organizationId !== null) assertCanWrite(ctx, achievement.organizationId, "achievement");
    const run = await enqueueBackfill(ctx.db, {
      kind: "achievement",
      achievementId: id,
      organizationId,
      notifyUsers,
      dryRun,
      requestedById: viewer.userId,
    });
    if (dryRun) return runBackfill(ctx.db, ctx.app.scoring, run, ctx.now, ctx.app.logger);
    ctx.app.jobs.kick();
    return run;
  }
}
