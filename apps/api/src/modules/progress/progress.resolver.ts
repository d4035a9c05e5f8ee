import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  InputType,
  Int,
  Field,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Context } from "../../context.js";
import { listResolver } from "../../lib/crud-resolver.js";
import type { Award } from "../../scoring/model.js";
import { Achievement } from "../../lib/graphql/achievement.type.js";
import { UserAchievement } from "../../lib/graphql/award.type.js";
import { User } from "../../lib/graphql/user.type.js";
import * as service from "./progress.service.js";
import { Notification } from "../../lib/graphql/notification.type.js";
import { Badge, RewardGrant, Standing } from "./progress.type.js";

type AwardLike = Omit<Award, "achievement" | "rewards"> & Partial<Pick<Award, "achievement" | "rewards">>;

@InputType()
export class UserAchievementFilter {
  @Field(() => ID, { nullable: true })
  userId?: string;

  @Field(() => ID, { nullable: true })
  achievementId?: string;

  @Field(() => Boolean, { nullable: true })
  completed?: boolean;

  @Field(() => [ID], { nullable: true })
  ids?: string[];
}

@Resolver(() => Standing)
export class StandingResolver {
  @FieldResolver(() => Int, {
    description:
      "Hidden badges the user can still earn: how many, never which (each shows in the catalog once earned)",
  })
  hiddenRemaining(@Root() standing: Standing, @Ctx() ctx: Context) {
    return service.hiddenRemaining(ctx, standing.user);
  }
}

@Resolver(() => UserAchievement)
export class ProgressResolver extends listResolver({
  type: UserAchievement,
  plural: "UserAchievements",
  filter: UserAchievementFilter,
  service: service.userAchievementList,
  read: ["read:progress"],
}) {
  @Authorized()
  @Query(() => [Badge], {
    description:
      "The badges you could earn or have earned, by category and sort order, with your progress; hidden ones once earned",
  })
  myBadges(@Ctx() ctx: Context) {
    return service.myBadges(ctx);
  }

  @Authorized("read:progress")
  @Query(() => [Badge], {
    description:
      "A user's progress on every badge of their organization: hidden ones included for admins and coordinators, never for API keys",
  })
  userProgress(@Arg("userId", () => ID) userId: string, @Ctx() ctx: Context) {
    return service.userProgress(ctx, userId);
  }

  @Authorized()
  @Query(() => Standing, { description: "Your points, badges earned and reward ledger" })
  myStanding(@Ctx() ctx: Context) {
    return service.myStanding(ctx);
  }

  @Authorized("read:progress")
  @Query(() => Standing)
  userStanding(@Arg("userId", () => ID) userId: string, @Ctx() ctx: Context) {
    return service.userStanding(ctx, userId);
  }

  @Authorized()
  @Query(() => [Notification])
  myNotifications(
    @Arg("unreadOnly", () => Boolean, { defaultValue: false }) unreadOnly: boolean,
    @Arg("limit", () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: Context,
  ) {
    return service.myNotifications(ctx, unreadOnly, limit);
  }

  @Authorized()
  @Mutation(() => Int, {
    description: "Marks your notifications read (these, or all); returns how many changed",
  })
  markNotificationsRead(
    @Arg("ids", () => [ID], { nullable: true }) ids: string[] | undefined,
    @Ctx() ctx: Context,
  ) {
    return service.markNotificationsRead(ctx, ids ?? undefined);
  }

  @Authorized("grant:achievements")
  @Mutation(() => UserAchievement, {
    description: "Grants an achievement by hand, with its points, rewards and notification",
  })
  grantAchievement(
    @Arg("userId", () => ID) userId: string,
    @Arg("achievementId", () => ID) achievementId: string,
    @Ctx() ctx: Context,
  ) {
    return service.grantAchievement(ctx, userId, achievementId);
  }

  @FieldResolver(() => Boolean)
  completed(@Root() award: AwardLike) {
    return award.completedAt !== null;
  }

  @FieldResolver(() => Achievement)
  achievement(@Root() award: AwardLike, @Ctx() ctx: Context) {
    return award.achievement ?? ctx.loaders.achievement.load(award.achievementId);
  }

  @FieldResolver(() => User)
  user(@Root() award: AwardLike, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(award.userId);
  }

  @FieldResolver(() => [RewardGrant])
  async rewards(@Root() award: AwardLike, @Ctx() ctx: Context) {
    if (award.rewards?.length) return award.rewards;
    const ledger = await ctx.loaders.ledgerByAward.load(award.id);
    const items = await ctx.loaders.consumable.loadMany(ledger.map((l) => l.consumableId ?? ""));
    return ledger.map((l, i) => {
      const item = items[i];
      const name = item && !(item instanceof Error) ? item.name : l.description;
      return {
        consumableId: l.consumableId,
        name,
        type: l.type,
        quantity: l.quantity,
        unitValue: l.unitValue,
      };
    });
  }
}
