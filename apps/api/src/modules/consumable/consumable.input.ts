import { ArgsType, Field, Float, ID, InputType } from "type-graphql";
import { ConsumableType } from "../../lib/enums.js";

@InputType()
export class ConsumableFilter {
  @Field(() => String, { nullable: true })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => ConsumableType, { nullable: true })
  type?: string;
}

@ArgsType()
export class CreateConsumableArgs {
  @Field(() => String)
  name: string;

  @Field(() => ConsumableType)
  type: string;

  @Field(() => Float)
  value: number;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => ID, { nullable: true, description: "Global Administrators only; omitted: platform-wide" })
  organizationId?: string;
}

@ArgsType()
export class UpdateConsumableArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => ConsumableType, { nullable: true })
  type?: string;

  @Field(() => Float, { nullable: true })
  value?: number;

  @Field(() => String, { nullable: true })
  description?: string;
}
