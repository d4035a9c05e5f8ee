import { ArgsType, Field, ID, InputType } from "type-graphql";

@InputType()
export class OrganizationFilter {
  @Field(() => String, { nullable: true, description: "Search in name and slug" })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => String, { nullable: true, description: "Organizations with this module on" })
  module?: string;
}

@ArgsType()
export class CreateOrganizationArgs {
  @Field(() => String)
  name: string;

  @Field(() => String)
  slug: string;

  @Field(() => [String], { nullable: true })
  modules?: string[];

  @Field(() => String, { nullable: true })
  timeZone?: string;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => String, { nullable: true })
  locale?: string;

  @Field(() => Boolean, { nullable: true, description: "Email members their awards (default false)" })
  emailAwards?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: "Email members when their Wrapped is ready (default false)",
  })
  emailSummaries?: boolean;
}

@ArgsType()
export class UpdateOrganizationArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  slug?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      "The enabled modules, from platformModules; only a Global Administrator may change them (sending the current ones is no change)",
  })
  modules?: string[];

  @Field(() => String, { nullable: true })
  timeZone?: string;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => String, { nullable: true })
  locale?: string;

  @Field(() => Boolean, { nullable: true, description: "Email members their awards" })
  emailAwards?: boolean;

  @Field(() => Boolean, { nullable: true, description: "Email members when their Wrapped is ready" })
  emailSummaries?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "When modules are enabled, members who already qualify for their achievements get them in the background: notify them (default false)",
  })
  notifyOnBackfill?: boolean;
}
