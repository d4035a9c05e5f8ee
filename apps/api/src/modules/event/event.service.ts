import { SYSTEM_EVENTS } from "@laurel/engine";
import { z } from "zod";
import type { Context } from "../../context.js";
import { Forbidden } from "../../errors.js";
import { eventType, scalarRecord } from "../../lib/formats.js";
import { requireViewer } from "../../lib/tenancy.js";
import { parseInput } from "../../validation.js";
import { isGlobalAdmin } from "../auth/viewer.js";
import { tenantOf } from "../progress/progress.service.js";
import { getUser } from "../user/user.service.js";
import { ingest, type IntakeResult } from "./intake.service.js";

const reserved: readonly string[] = Object.values(SYSTEM_EVENTS);
const FUTURE_SLACK_MS = 5 * 60 * 1000;

export const eventFields = (now: Date) => ({
  occurredAt: z
    .date()
    .refine((d) => d.getTime() <= now.getTime() + FUTURE_SLACK_MS, {
      message: "occurredAt is in the future",
      params: { rule: "occurred_at_not_future" },
    })
    .refine((d) => d.getUTCFullYear() >= 2000, {
      message: "occurredAt is before 2000",
      params: { rule: "occurred_at_range" },
    })
    .nullish(),
});

const recordSchema = (now: Date) =>
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
  const user = await getUser(ctx, input.userId);
  if (!isGlobalAdmin(viewer) && user.organizationId !== viewer.organizationId)
    throw new Forbidden("The user is in another organization");
  if (!user.isActive) throw new Forbidden("The user is deactivated");
  const tenant = await tenantOf(ctx, user.organizationId);
  return ingest(
    ctx.db,
    tenant,
    {
      userId: user.id,
      type: input.type,
      value: input.value ?? null,
      attributes: input.attributes ?? {},
      occurredAt: input.occurredAt ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      source: viewer.kind === "apiKey" ? "api_key" : "admin",
    },
    ctx.now,
  );
}
