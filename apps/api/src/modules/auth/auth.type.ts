import { Field, ObjectType } from "type-graphql";
import { User } from "../../lib/graphql/user.type.js";

@ObjectType({ description: "A signed, expiring bearer token: send it as `Authorization: Bearer <token>`" })
export class AuthPayload {
  @Field(() => String)
  token: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => User)
  user: User;
}
