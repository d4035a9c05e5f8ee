import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A named set of permissions; built-in roles are platform-wide" })
export class Role {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: "NULL: a platform-wide role" })
  organizationId: string | null;

  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => [String])
  permissions: string[];

  @Field(() => Boolean, { description: "Holders are participants: they earn badges and get Wrapped" })
  isParticipant: boolean;

  @Field(() => Boolean)
  isBuiltIn: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}
