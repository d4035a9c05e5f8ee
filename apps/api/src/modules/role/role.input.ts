import { ArgsType, Field, ID, InputType } from "type-graphql";

@InputType()
export class RoleFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => Boolean, { nullable: true })
  isBuiltIn?: boolean;
}

@ArgsType()
export class CreateRoleArgs {
  @Field(() => String)
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String])
  permissions: string[];

  @Field(() => Boolean, { nullable: true })
  isParticipant?: boolean;

  @Field(() => ID, {
    nullable: true,
    description: "Global Administrators only; omitted: a platform-wide role",
  })
  organizationId?: string;
}

@ArgsType()
export class UpdateRoleArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => [String], { nullable: true })
  permissions?: string[];

  @Field(() => Boolean, { nullable: true })
  isParticipant?: boolean;
}
