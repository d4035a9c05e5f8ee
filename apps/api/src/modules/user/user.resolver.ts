import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver } from "../../lib/crud-resolver.js";
import { Organization } from "../organization/organization.type.js";
import { Role } from "../role/role.type.js";
import { CreateUserArgs, UpdateUserArgs, UserFilter } from "./user.input.js";
import { type UserRow, userService } from "./user.service.js";
import { User } from "./user.type.js";

@Resolver(() => User)
export class UserResolver extends crudResolver({
  type: User,
  plural: "Users",
  filter: UserFilter,
  createArgs: CreateUserArgs,
  updateArgs: UpdateUserArgs,
  service: userService,
  read: ["manage:users", "read:progress"],
  create: ["manage:users"],
  update: ["manage:users"],
  remove: ["manage:users"],
}) {
  @FieldResolver(() => Boolean)
  hasPassword(@Root() user: UserRow) {
    return user.passwordHash !== null;
  }

  @FieldResolver(() => Role)
  role(@Root() user: UserRow, @Ctx() ctx: Context) {
    return ctx.loaders.role.load(user.roleId);
  }

  @FieldResolver(() => Organization, { nullable: true })
  organization(@Root() user: UserRow, @Ctx() ctx: Context) {
    return user.organizationId ? ctx.loaders.organization.load(user.organizationId) : null;
  }
}
