import { FieldResolver, Resolver, Root } from "type-graphql";
import { crudResolver } from "../../lib/crud-resolver.js";
import { ApiKeyFilter, CreateApiKeyArgs, UpdateApiKeyArgs } from "./api-key.input.js";
import { type ApiKeyRow, apiKeyService } from "./api-key.service.js";
import { ApiKey } from "./api-key.type.js";

@Resolver(() => ApiKey)
export class ApiKeyResolver extends crudResolver({
  type: ApiKey,
  plural: "ApiKeys",
  filter: ApiKeyFilter,
  createArgs: CreateApiKeyArgs,
  updateArgs: UpdateApiKeyArgs,
  service: apiKeyService,
  read: ["manage:organization", "manage:apiKeys"],
  // A key acts for the organization's backend: making one is its own permission, not a setting.
  create: ["manage:apiKeys"],
  update: ["manage:apiKeys"],
  remove: ["manage:apiKeys"],
}) {
  @FieldResolver(() => String, { nullable: true })
  secret(@Root() key: ApiKeyRow) {
    return key.secret ?? null;
  }
}
