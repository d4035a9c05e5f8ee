import { Resolver } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { ConsumableFilter, CreateConsumableArgs, UpdateConsumableArgs } from "./consumable.input.js";
import { consumableService } from "./consumable.service.js";
import { Consumable } from "./consumable.type.js";

@Resolver(() => Consumable)
export class ConsumableResolver extends crudResolver({
  type: Consumable,
  plural: "Consumables",
  filter: ConsumableFilter,
  createArgs: CreateConsumableArgs,
  updateArgs: UpdateConsumableArgs,
  service: consumableService,
  read: [],
  create: ["create:consumables"],
  update: ["update:consumables"],
  remove: ["delete:consumables"],
}) {}
