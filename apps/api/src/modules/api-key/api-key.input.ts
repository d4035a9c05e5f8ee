import { ArgsType, Field, ID, InputType } from "type-graphql";

@InputType()
export class ApiKeyFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => Boolean, { nullable: true, description: "Only keys that still work" })
  active?: boolean;
}

@ArgsType()
export class CreateApiKeyArgs {
  @Field(() => String)
  name: string;

  @Field(() => [String], { nullable: true, description: "ingest:events (default) and read:progress" })
  permissions?: string[];

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;

  @Field(() => ID, { nullable: true, description: "Global Administrators only" })
  organizationId?: string;
}

@ArgsType()
export class UpdateApiKeyArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;
}
