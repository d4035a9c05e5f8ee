import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A secret for a tenant's backend to report events. Only its hash is kept." })
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: "The secret's first characters, to tell keys apart" })
  prefix: string;

  @Field(() => [String])
  permissions: string[];

  @Field(() => String, {
    nullable: true,
    description: "The secret itself: returned once, by createApiKey, and never again",
  })
  secret: string | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}
