import { Resolver } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { CreateOrganizationArgs, OrganizationFilter, UpdateOrganizationArgs } from "./organization.input.js";
import { organizationService } from "./organization.service.js";
import { Organization } from "./organization.type.js";

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
}) {}
