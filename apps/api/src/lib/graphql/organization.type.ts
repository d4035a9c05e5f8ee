import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A tenant: a volunteer organisation or a game platform" })
export class Organization {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  slug: string;

  @Field(() => [String], { description: "Enabled modules, e.g. achievements-gamification" })
  modules: string[];

  @Field(() => String, { description: "IANA time zone; every day, month and year boundary is taken in it" })
  timeZone: string;

  @Field(() => String, { description: "ISO 4217 currency code" })
  currency: string;

  @Field(() => String, { description: "BCP 47 language of its members, e.g. nb or en" })
  locale: string;

  @Field(() => Boolean, {
    description: "Email members when they earn an achievement, in their language (each may opt out)",
  })
  emailAwards: boolean;

  @Field(() => Boolean, {
    description: "Email members when their Wrapped is ready, with a link to it (each may opt out)",
  })
  emailSummaries: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}
