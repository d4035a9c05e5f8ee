import { Field, ID, ObjectType } from "type-graphql";
import { Organization } from "./organization.type.js";
import { Role } from "./role.type.js";

@ObjectType({ description: "A person: an admin, a coordinator, a peer mentor or a player" })
export class User {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: "NULL only for a Global Administrator of no organization" })
  organizationId: string | null;

  @Field(() => ID)
  roleId: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  displayName: string;

  @Field(() => String, { nullable: true })
  locale: string | null;

  @Field(() => Boolean)
  isActive: boolean;

  @Field(() => Boolean, {
    description:
      "The person turned off emails about awards and Wrapped (the link in those emails, or updateMyEmailPreferences); sign-in codes still come",
  })
  emailOptOut: boolean;

  @Field(() => Boolean, { description: "True when the user signs in with a password" })
  hasPassword: boolean;

  @Field(() => Date, { nullable: true })
  lastSignInAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Role)
  role: Role;

  @Field(() => Organization, { nullable: true })
  organization: Organization | null;
}
