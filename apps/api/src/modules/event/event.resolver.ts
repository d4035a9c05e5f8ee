import { Arg, Authorized, Ctx, Float, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { JSONObjectScalar } from "../../lib/scalars.js";
import { recordEvent } from "./event.service.js";
import { EventResult } from "./event.type.js";

@Resolver()
export class EventResolver {
  @Authorized("ingest:events")
  @Mutation(() => EventResult, {
    description:
      "Reports an event for a user (a won match, a deposit). The same idempotency key twice counts once.",
  })
  recordEvent(
    @Arg("userId", () => ID) userId: string,
    @Arg("type", () => String) type: string,
    @Arg("value", () => Float, { nullable: true }) value: number | undefined,
    @Arg("attributes", () => JSONObjectScalar, { nullable: true })
    attributes: Record<string, unknown> | undefined,
    @Arg("occurredAt", () => Date, { nullable: true }) occurredAt: Date | undefined,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return recordEvent(ctx, { userId, type, value, attributes, occurredAt, idempotencyKey });
  }
}
