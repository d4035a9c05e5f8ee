import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver } from "../../lib/crud-resolver.js";
import type { AchievementRow } from "../../lib/directory.js";
import { servedLink } from "../../lib/formats.js";
import { ValidationIssue } from "../../lib/issue.type.js";
import { AchievementRule } from "../../lib/graphql/rule.type.js";
import { AchievementFilter, CreateAchievementArgs, UpdateAchievementArgs } from "./achievement.input.js";
import { achievementService } from "./achievement.service.js";
import { Achievement, AchievementReward } from "../../lib/graphql/achievement.type.js";

@Resolver(() => Achievement)
export class AchievementResolver extends crudResolver({
  type: Achievement,
  plural: "Achievements",
  filter: AchievementFilter,
  createArgs: CreateAchievementArgs,
  updateArgs: UpdateAchievementArgs,
  service: achievementService,
  read: [],
  create: ["create:achievementDefinitions"],
  update: ["update:achievementDefinitions"],
  remove: ["delete:achievementDefinitions"],
}) {
  @FieldResolver(() => String, { nullable: true })
  iconUrl(@Root() achievement: AchievementRow, @Ctx() ctx: Context) {
    return servedLink(achievement.iconUrl, ctx.app.env.production);
  }

  @FieldResolver(() => Boolean)
  isPlatform(@Root() achievement: AchievementRow) {
    return achievement.organizationId === null;
  }

  @FieldResolver(() => [String])
  async ruleIds(@Root() achievement: AchievementRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.ruleLinksByAchievement.load(achievement.id)).map((l) => l.ruleId);
  }

  @FieldResolver(() => [AchievementRule])
  async rules(@Root() achievement: AchievementRow, @Ctx() ctx: Context) {
    const linked = await ctx.loaders.ruleLinksByAchievement.load(achievement.id);
    return (await ctx.loaders.rule.loadMany(linked.map((l) => l.ruleId))).filter(
      (r) => r && !(r instanceof Error),
    );
  }

  @FieldResolver(() => [AchievementReward])
  async rewards(@Root() achievement: AchievementRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.rewardsByAchievement.load(achievement.id)).map((r) => ({
      consumableId: r.consumableId,
      quantity: r.quantity,
    }));
  }

  /** No rule of an achievement is a warning any more (icon_url_format became an error): kept for clients. */
  @FieldResolver(() => [ValidationIssue])
  warnings(): ValidationIssue[] {
    return [];
  }
}
