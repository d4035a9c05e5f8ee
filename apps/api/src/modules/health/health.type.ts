import { Field, ObjectType } from "type-graphql";

@ObjectType()
export class Health {
  @Field(() => String, { description: "ok, or degraded when the database does not answer" })
  status: string;

  @Field(() => String, { description: "pglite (embedded) or postgres" })
  database: string;

  @Field(() => String, {
    description:
      "How participants' sign-in codes are delivered: smtp, log (outside production, no mail transport) or unavailable (production without a mail transport: nobody can sign in with a code)",
  })
  signInCodes: string;

  @Field(() => String)
  version: string;
}
