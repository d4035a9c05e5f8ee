import { SYSTEM_EVENTS } from "@laurel/engine";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden } from "../../errors.js";
import { eventFields, eventType, scalarRecord } from "../../lib/formats.js";
import { requireViewer } from "../../lib/tenancy.js";
import { parseInput } from "../../validation.js";
import { isGlobalAdmin } from "../../lib/viewer.js";
import { visibleOutcome } from "../../scoring/visibility.js";
import { getUser } from "../../lib/directory.js";
import { ingest, type IntakeResult, type NewEvent } from "../../scoring/intake.js";

const reserved: readonly string[] = Object.values(SYSTEM_EVENTS);

const buildRecordSchema = (now: Date) =>
  z.object({
    userId: z.string().uuid(),
    type: eventType.refine((t) => !reserved.includes(t), {
      message: `${reserved.join(", ")} are Laurel's own events: log activities and attendance with their mutations`,
      params: { rule: "event_type_reserved" },
    }),
    value: z
      .number()
      .refine((v) => Number.isFinite(v) && Math.abs(v) <= 1e12, {
        message: "value must be a number within ±10^12",
        params: { rule: "value_range" },
      })
      .nullish(),
    attributes: scalarRecord("attributes", "attributes_format").nullish(),
    idempotencyKey: z
      .string()
      .refine((k) => /^[\x21-\x7e]{1,200}$/.test(k), {
        message: "idempotencyKey is 1 to 200 visible ASCII characters",
        params: { rule: "idempotency_key_format" },
      })
      .nullish(),
    ...eventFields(now),
  });

let built: { second: number; schema: ReturnType<typeof buildRecordSchema> } | undefined;

/**
 * The rules of a reported event, shared by the mutation and the NATS transport. Built once a second, not
 * once an event: building a zod schema costs a quarter of a millisecond, a hundred times its use.
 */
export function recordSchema(now: Date) {
  const second = Math.floor(now.getTime() / 1000);
  if (built?.second !== second) built = { second, schema: buildRecordSchema(now) };
  return built.schema;
}

/** A checked event, as the intake takes it; `fallbackKey` stands in when the event has no key. */
export function newEventOf(
  input: ReturnType<ReturnType<typeof recordSchema>["parse"]>,
  source: NewEvent["source"],
  fallbackKey: string | null = null,
): NewEvent {
  return {
    userId: input.userId,
    type: input.type,
    value: input.value ?? null,
    attributes: input.attributes ?? {},
    occurredAt: input.occurredAt ?? null,
    idempotencyKey: input.idempotencyKey ?? fallbackKey,
    source,
  };
}

export type RecordEventArgs = {
  userId: string;
  type: string;
  value?: number | null;
  attributes?: Record<string, unknown> | null;
  occurredAt?: Date | null;
  idempotencyKey?: string | null;
};

/**
 * A tenant's backend (API key) or an admin reports an event for a user of its organization.
 * The user must be in the caller's organization; a Global Administrator may report for anyone.
 */
export async function recordEvent(ctx: Context, args: RecordEventArgs): Promise<IntakeResult> {
  const viewer = requireViewer(ctx);
  const input = parseInput(recordSchema(ctx.now), args);
  // A Global Administrator reports for anyone: the user's organization is looked up. Everyone else
  // reports in their own, and the intake's locking statement finds the user there or not at all.
  const organizationId = isGlobalAdmin(viewer)
    ? (await getUser(ctx, input.userId)).organizationId
    : viewer.organizationId;
  if (!organizationId) throw new Forbidden("Events belong to an organization's members");
  const result = await ingest(
    ctx.app.scoring,
    organizationId,
    newEventOf(input, viewer.kind === "apiKey" ? "api_key" : "admin"),
    ctx.now,
  );
  // A backend sees no hidden achievement, even one its player just earned (visibility.ts).
  return visibleOutcome(ctx, result);
}
