import { Field, Float, ID, ObjectType } from "type-graphql";
import { MetricAggregation, MetricWindow, StreakUnit } from "../enums.js";
import { JSONObjectScalar } from "../scalars.js";

@ObjectType({ description: "A number per user derived from events; rules compare it with a target" })
export class Metric {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: "NULL: shipped with Laurel, platform-wide" })
  organizationId: string | null;

  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => [String], { description: "Event types that feed it" })
  eventTypes: string[];

  @Field(() => MetricAggregation)
  aggregation: string;

  @Field(() => String, {
    nullable: true,
    description: "For distinct: the attribute whose values are counted",
  })
  distinctAttribute: string | null;

  @Field(() => JSONObjectScalar, {
    description: 'Attribute equalities an event must match, e.g. {"activity_type": "home_visit"}',
  })
  filter: Record<string, unknown>;

  @Field(() => MetricWindow)
  window: string;

  @Field(() => StreakUnit, { nullable: true })
  streakUnit: string | null;

  @Field(() => [String], { description: "For streaks of events: event types that break the run" })
  resetEventTypes: string[];

  @Field(() => Boolean)
  isActive: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType({ description: "A metric's value for one user in one window" })
export class MetricValue {
  @Field(() => ID)
  metricId: string;

  @Field(() => String)
  metricKey: string;

  @Field(() => String, { description: "all, 2026, 2026-03 or 2026-W09" })
  windowKey: string;

  @Field(() => Float)
  value: number;
}
