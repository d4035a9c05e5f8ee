import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { ValidationIssue } from "../../lib/issue.type.js";
import { listResolver } from "../../lib/crud-resolver.js";
import * as service from "./summary.service.js";
import type { SummaryRow } from "./summary.service.js";
import { AnnualSummary, AnnualSummaryFilter, HighlightMoment } from "./summary.type.js";

@Resolver(() => AnnualSummary)
export class AnnualSummaryResolver extends listResolver({
  type: AnnualSummary,
  plural: "AnnualSummaries",
  filter: AnnualSummaryFilter,
  service: service.summaryList,
  read: ["read:progress"],
}) {
  @Authorized()
  @Query(() => AnnualSummary, {
    description: "Your Wrapped for a year; the current year is a flagged year-to-date preview",
  })
  myAnnualSummary(@Arg("year", () => Int) year: number, @Ctx() ctx: Context) {
    return service.myAnnualSummary(ctx, year);
  }

  @Authorized()
  @Mutation(() => AnnualSummary)
  markAnnualSummaryViewed(@Arg("year", () => Int) year: number, @Ctx() ctx: Context) {
    return service.markAnnualSummaryViewed(ctx, year);
  }

  @Authorized("manage:organization")
  @Mutation(() => AnnualSummary, { description: "Marks a summary pending; the scheduled job makes it again" })
  async requeueAnnualSummary(
    @Arg("userId", () => ID) userId: string,
    @Arg("year", () => Int) year: number,
    @Ctx() ctx: Context,
  ) {
    const row = await service.requeueAnnualSummary(ctx, userId, year);
    return row;
  }

  @FieldResolver(() => [HighlightMoment])
  highlightMoments(@Root() row: SummaryRow, @Ctx() ctx: Context) {
    return service.visibleHighlights(ctx, row);
  }

  @FieldResolver(() => [Int])
  monthlyActivityCounts(@Root() row: SummaryRow) {
    return row.monthlyActivityCounts ?? Array(12).fill(0);
  }

  @FieldResolver(() => [ValidationIssue])
  warnings(@Root() row: SummaryRow) {
    return service.summaryWarnings(row);
  }
}
