import { ArgsType, Field, ID, InputType } from "type-graphql";

@InputType()
export class UserFilter {
  @Field(() => String, { nullable: true, description: "Search in email and display name" })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => ID, { nullable: true })
  roleId?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}

@ArgsType()
export class CreateUserArgs {
  @Field(() => String)
  email: string;

  @Field(() => String)
  displayName: string;

  @Field(() => ID)
  roleId: string;

  @Field(() => ID, { nullable: true, description: "Global Administrators only; others create in their own" })
  organizationId?: string;

  @Field(() => String, { nullable: true, description: "For admins and coordinators; participants use codes" })
  password?: string;

  @Field(() => String, { nullable: true })
  locale?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}

@ArgsType()
export class UpdateUserArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  displayName?: string;

  @Field(() => ID, { nullable: true })
  roleId?: string;

  @Field(() => String, { nullable: true })
  password?: string;

  @Field(() => String, { nullable: true })
  locale?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}
