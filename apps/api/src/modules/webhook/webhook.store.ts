import { schema } from "@laurel/db";
import { eq } from "drizzle-orm";
import type { Context } from "../../context.js";
import { NotFound } from "../../errors.js";
import { assertCanWrite, canSee } from "../../lib/tenancy.js";
import { webhookMessageOf } from "../../outbox/message.js";

const { webhookEndpoints } = schema;
export type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof schema.webhookDeliveries.$inferSelect;
type OutboxRow = Pick<
  typeof schema.outbox.$inferSelect,
  "id" | "type" | "organizationId" | "occurredAt" | "payload"
>;

/** An endpoint the viewer may see (their organization's; any for a Global Administrator), else NOT_FOUND. */
export async function readableEndpoint(ctx: Context, id: string): Promise<EndpointRow> {
  const [row] = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!row || !canSee(ctx, row.organizationId)) throw new NotFound("WebhookEndpoint", id);
  return row;
}

/** An endpoint the viewer may change. */
export async function writableEndpoint(ctx: Context, id: string): Promise<EndpointRow> {
  const row = await readableEndpoint(ctx, id);
  assertCanWrite(ctx, row.organizationId, "webhook endpoint");
  return row;
}

/** A delivery as the API shows it: with the body as sent, and no next attempt once it is settled. */
export type DeliveryView = Omit<DeliveryRow, "leaseUntil" | "nextAttemptAt"> & {
  nextAttemptAt: Date | null;
  payload: Record<string, unknown>;
};

export function deliveryViewOf(row: DeliveryRow, event: OutboxRow): DeliveryView {
  const { leaseUntil: _lease, ...shown } = row;
  const settled = row.status === "delivered" || row.status === "failed";
  return {
    ...shown,
    nextAttemptAt: settled ? null : row.nextAttemptAt,
    payload: webhookMessageOf(event) as unknown as Record<string, unknown>,
  };
}
