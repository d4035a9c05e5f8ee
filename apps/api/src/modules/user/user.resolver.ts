import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver } from "../../lib/crud-resolver.js";
import type { UserRow } from "../../lib/directory.js";
import { Organization } from "../../lib/graphql/organization.type.js";
import { Role } from "../../lib/graphql/role.type.js";
import { CreateUserArgs, UpdateUserArgs, UserFilter } from "./user.input.js";
import { signOutEverywhere, updateMyEmailPreferences, userService } from "./user.service.js";
import { User } from "../../lib/graphql/user.type.js";

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

  // Sessions are the user's: ending them all writes the user's row (endSessions).
  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Ends every session: each token given before stops working. Without userId, the signed-in user's own; with it (manage:users), another user's of the tenant",
  })
  signOutEverywhere(
    @Arg("userId", () => ID, { nullable: true }) userId: string | null | undefined,
    @Ctx() ctx: Context,
  ) {
    return signOutEverywhere(ctx, userId);
  }

  // The person's own choice: only they change it (here, or by the link in the emails).
  @Authorized()
  @Mutation(() => User, {
    description:
      "The signed-in person's emails about awards and Wrapped: emailOptOut true turns them off, false on again (when the organization sends them)",
  })
  updateMyEmailPreferences(@Arg("emailOptOut", () => Boolean) emailOptOut: boolean, @Ctx() ctx: Context) {
    return updateMyEmailPreferences(ctx, emailOptOut);
  }
}
