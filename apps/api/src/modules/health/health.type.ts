import { Field, ObjectType } from "type-graphql";

@ObjectType()
export class Health {
  @Field(() => String, { description: "ok, or degraded when the database does not answer" })
  status: string;

  @Field(() => String, { description: "pglite (embedded) or postgres" })
  database: string;

  @Field(() => String)
  version: string;
}
