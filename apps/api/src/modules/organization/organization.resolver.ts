import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { crudResolver } from "../../lib/crud-resolver.js";
import { platformModules } from "../../lib/platform.js";
import { CreateOrganizationArgs, OrganizationFilter, UpdateOrganizationArgs } from "./organization.input.js";
import { organizationService } from "./organization.service.js";
import { Organization } from "../../lib/graphql/organization.type.js";

@Resolver(() => Organization)
export class OrganizationResolver extends crudResolver({
  type: Organization,
  plural: "Organizations",
  filter: OrganizationFilter,
  createArgs: CreateOrganizationArgs,
  updateArgs: UpdateOrganizationArgs,
  service: organizationService,
  // Everyone reads their own organization (its zone, currency, language); Global Administrators read all.
  read: [],
  create: ["manage:platform"],
  update: ["manage:organization"],
  remove: ["manage:platform"],
}) {
  @Authorized(
    "manage:platform",
    "manage:organization",
    "create:achievementDefinitions",
    "update:achievementDefinitions",
  )
  @Query(() => [String], {
    description:
      "The modules this installation offers (LAUREL_MODULES): what an organization may have enabled and an achievement may require",
  })
  platformModules(@Ctx() ctx: Context): readonly string[] {
    return platformModules(ctx);
  }
}
