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
  read: ["manage:organization"],
  create: ["manage:organization"],
  update: ["manage:organization"],
  remove: ["manage:organization"],
}) {
  @FieldResolver(() => String, { nullable: true })
  secret(@Root() key: ApiKeyRow) {
    return key.secret ?? null;
  }
}
