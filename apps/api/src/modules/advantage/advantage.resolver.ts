import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver, listResolver } from "../../lib/crud-resolver.js";
import { ValidationIssue } from "../../lib/issue.type.js";
import * as service from "./advantage.service.js";
import type { CalculationRow } from "./advantage.service.js";
import {
  AdvantageBreakdownItem,
  AdvantageCalculation,
  AdvantageCalculationFilter,
  AdvantageParameter,
  AdvantageParameterFilter,
  CreateAdvantageParameterArgs,
  UpdateAdvantageParameterArgs,
} from "./advantage.type.js";

@Resolver(() => AdvantageCalculation)
export class AdvantageResolver extends listResolver({
  type: AdvantageCalculation,
  plural: "AdvantageCalculations",
  filter: AdvantageCalculationFilter,
  service: service.calculationList,
  read: ["read:progress"],
}) {
  @Authorized()
  @Query(() => AdvantageCalculation, {
    description: "What your volunteer work in a year is worth, with its breakdown",
  })
  myAdvantage(@Arg("year", () => Int) year: number, @Ctx() ctx: Context) {
    return service.myAdvantage(ctx, year);
  }

  @FieldResolver(() => Int)
  async year(@Root() row: CalculationRow, @Ctx() ctx: Context) {
    const org = await ctx.loaders.organization.load(row.organizationId);
    return service.yearOf(row, org?.timeZone ?? "UTC");
  }

  @FieldResolver(() => [AdvantageBreakdownItem])
  advantageBreakdown(@Root() row: CalculationRow) {
    return row.advantageBreakdown ?? [];
  }

  @FieldResolver(() => [ValidationIssue])
  warnings(@Root() row: CalculationRow) {
    return service.calculationWarnings(row);
  }
}

@Resolver(() => AdvantageParameter)
export class AdvantageParameterResolver extends crudResolver({
  type: AdvantageParameter,
  plural: "AdvantageParameters",
  filter: AdvantageParameterFilter,
  createArgs: CreateAdvantageParameterArgs,
  updateArgs: UpdateAdvantageParameterArgs,
  service: service.parameterService,
  read: ["manage:organization", "read:progress"],
  create: ["manage:organization"],
  update: ["manage:organization"],
  remove: ["manage:organization"],
}) {}
