import { Resolver } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { CreateRoleArgs, RoleFilter, UpdateRoleArgs } from "./role.input.js";
import { roleService } from "./role.service.js";
import { Role } from "../../lib/graphql/role.type.js";

@Resolver(() => Role)
export class RoleResolver extends crudResolver({
  type: Role,
  plural: "Roles",
  filter: RoleFilter,
  createArgs: CreateRoleArgs,
  updateArgs: UpdateRoleArgs,
  service: roleService,
  read: ["manage:roles", "manage:users"],
  create: ["manage:roles"],
  update: ["manage:roles"],
  remove: ["manage:roles"],
}) {}
