import { ArgsType, Field, ID, InputType, Int } from "type-graphql";

@InputType()
export class ActivityTypeFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}

@ArgsType()
export class CreateActivityTypeArgs {
  @Field(() => String)
  slug: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => Int, { nullable: true })
  sortOrder?: number;

  @Field(() => ID, { nullable: true, description: "Global Administrators only" })
  organizationId?: string;
}

@ArgsType()
export class UpdateActivityTypeArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;

  @Field(() => Int, { nullable: true })
  sortOrder?: number;
}
