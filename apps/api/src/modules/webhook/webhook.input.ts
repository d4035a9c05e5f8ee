import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { DeliveryStatus } from "./webhook.type.js";

@InputType()
export class WebhookEndpointFilter {
  @Field(() => String, { nullable: true, description: "Part of the URL or description" })
  q?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => ID, { nullable: true })
  organizationId?: string;
}

@ArgsType()
export class CreateWebhookEndpointArgs {
  @Field(() => String, { description: "https:// (http:// too outside production), no user name or password" })
  url: string;

  @Field(() => [String], { description: "Outbox types (webhookEventTypes), at least one" })
  eventTypes: string[];

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => ID, { nullable: true, description: "Global Administrators only" })
  organizationId?: string;
}

@ArgsType()
export class UpdateWebhookEndpointArgs {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[];

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "false disables it (reason admin); true enables it again and clears failingSince and disabledReason",
  })
  enabled?: boolean;
}

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];

  @Field(() => ID, { nullable: true })
  endpointId?: string;

  @Field(() => DeliveryStatus, { nullable: true })
  status?: string;

  @Field(() => String, { nullable: true })
  eventType?: string;
}

@ArgsType()
export class RotateWebhookSecretArgs {
  @Field(() => ID)
  id: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 24,
    description: "Hours (0 to 168) the old secret keeps signing beside the new one",
  })
  overlapHours?: number | null;
}

@ArgsType()
export class ReplayWebhookDeliveriesArgs {
  @Field(() => ID)
  endpointId: string;

  @Field(() => Date, {
    description: "Every FAILED delivery of the endpoint created since then goes back to PENDING",
  })
  since: Date;
}
