import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A broken validation rule: the field, the seed's rule name and a message" })
export class ValidationIssue {
  @Field(() => String)
  field: string;

  @Field(() => String, { description: "The rule's name, e.g. key_format or icon_url_format" })
  rule: string;

  @Field(() => String)
  message: string;

  @Field(() => String, { description: "error or warning" })
  severity: string;
}
