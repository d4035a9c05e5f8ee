import { Resolver } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { CreateMetricArgs, MetricFilter, UpdateMetricArgs } from "./metric.input.js";
import { metricService } from "./metric.service.js";
import { Metric } from "../../lib/graphql/metric.type.js";

@Resolver(() => Metric)
export class MetricResolver extends crudResolver({
  type: Metric,
  plural: "Metrics",
  filter: MetricFilter,
  createArgs: CreateMetricArgs,
  updateArgs: UpdateMetricArgs,
  service: metricService,
  read: [],
  create: ["create:metrics"],
  update: ["update:metrics"],
  remove: ["delete:metrics"],
}) {}
