import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver } from "../../lib/crud-resolver.js";
import { Metric } from "../../lib/graphql/metric.type.js";
import { AchievementRuleFilter, CreateAchievementRuleArgs, UpdateAchievementRuleArgs } from "./rule.input.js";
import { type RuleRow, ruleService } from "./rule.service.js";
import { AchievementRule } from "../../lib/graphql/rule.type.js";

@Resolver(() => AchievementRule)
export class AchievementRuleResolver extends crudResolver({
  type: AchievementRule,
  plural: "AchievementRules",
  filter: AchievementRuleFilter,
  createArgs: CreateAchievementRuleArgs,
  updateArgs: UpdateAchievementRuleArgs,
  service: ruleService,
  read: [],
  create: ["create:achievementRules"],
  update: ["update:achievementRules"],
  remove: ["delete:achievementRules"],
}) {
  @FieldResolver(() => Metric)
  metric(@Root() rule: RuleRow, @Ctx() ctx: Context) {
    return ctx.loaders.metric.load(rule.metricId);
  }
}
