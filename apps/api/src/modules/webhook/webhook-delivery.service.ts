import { schema } from "@laurel/db";
import { and, count, eq, gte, inArray, type SQL } from "drizzle-orm";
import type { Context } from "../../context.js";
import { invalid, NotFound } from "../../errors.js";
import { type ListArgs, pageOf } from "../../lib/list.js";
import { assertCanWrite, canSee, ownRows } from "../../lib/tenancy.js";
import type { ReplayWebhookDeliveriesArgs, WebhookDeliveryFilter } from "./webhook.input.js";
import { type DeliveryView, deliveryViewOf, writableEndpoint } from "./webhook.store.js";

const { webhookDeliveries, outbox } = schema;
type Status = (typeof webhookDeliveries.$inferSelect)["status"];

const sortable = {
  id: webhookDeliveries.id,
  createdAt: webhookDeliveries.createdAt,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  eventType: webhookDeliveries.eventType,
};

const event = {
  id: outbox.id,
  type: outbox.type,
  organizationId: outbox.organizationId,
  occurredAt: outbox.occurredAt,
  payload: outbox.payload,
};

function whereOf(ctx: Context, filter: WebhookDeliveryFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, webhookDeliveries.organizationId),
    filter.id ? eq(webhookDeliveries.id, filter.id) : undefined,
    filter.ids ? inArray(webhookDeliveries.id, filter.ids) : undefined,
    filter.endpointId ? eq(webhookDeliveries.endpointId, filter.endpointId) : undefined,
    filter.status ? eq(webhookDeliveries.status, filter.status as Status) : undefined,
    filter.eventType ? eq(webhookDeliveries.eventType, filter.eventType) : undefined,
  );
}

async function listDeliveries(ctx: Context, args: ListArgs, filter?: WebhookDeliveryFilter) {
  const { limit, offset, orderBy } = pageOf(args, sortable, "createdAt");
  const rows = await ctx.db
    .select({ delivery: webhookDeliveries, event })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .where(whereOf(ctx, filter))
    .orderBy(...orderBy)
    .limit(limit)
    .offset(offset);
  return rows.map((r) => deliveryViewOf(r.delivery, r.event));
}

async function countDeliveries(ctx: Context, filter?: WebhookDeliveryFilter): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(webhookDeliveries).where(whereOf(ctx, filter));
  return Number(row?.n ?? 0);
}

async function getDelivery(ctx: Context, id: string): Promise<DeliveryView> {
  const [row] = await ctx.db
    .select({ delivery: webhookDeliveries, event })
    .from(webhookDeliveries)
    .innerJoin(outbox, eq(outbox.id, webhookDeliveries.outboxId))
    .where(eq(webhookDeliveries.id, id));
  if (!row || !canSee(ctx, row.delivery.organizationId)) throw new NotFound("WebhookDelivery", id);
  return deliveryViewOf(row.delivery, row.event);
}

/** Back to PENDING, due now, its attempts counted afresh (the same webhook-id: receivers may dedupe it). */
async function replayDelivery(ctx: Context, id: string): Promise<DeliveryView> {
  const existing = await getDelivery(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "webhook delivery");
  if (existing.status === "delivering") {
    throw invalid(
      "id",
      "delivery_in_progress",
      "This delivery is being posted right now: replay it afterwards",
    );
  }
  const [row] = await ctx.db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.now, leaseUntil: null })
    .where(
      and(eq(webhookDeliveries.id, existing.id), eq(webhookDeliveries.status, existing.status as Status)),
    )
    .returning();
  if (!row) throw invalid("id", "delivery_in_progress", "This delivery changed meanwhile: try again");
  ctx.app.outbox.dispatcher.kick();
  return getDelivery(ctx, row.id);
}

/** Every FAILED delivery of the endpoint created since `since`, replayed; returns how many. */
async function replayDeliveries(ctx: Context, args: ReplayWebhookDeliveriesArgs): Promise<number> {
  const endpoint = await writableEndpoint(ctx, args.endpointId);
  const rows = await ctx.db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.now, leaseUntil: null })
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpoint.id),
        eq(webhookDeliveries.status, "failed"),
        gte(webhookDeliveries.createdAt, args.since),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  if (rows.length > 0) ctx.app.outbox.dispatcher.kick();
  return rows.length;
}

export type DeliveryStats = { pending: number; delivered: number; failed: number };

/** Each endpoint's deliveries by status, for many endpoints in one statement (deliveryStats' loader). */
export async function deliveryStats(ctx: Context, endpointIds: readonly string[]): Promise<DeliveryStats[]> {
  const rows = await ctx.db
    .select({ endpointId: webhookDeliveries.endpointId, status: webhookDeliveries.status, n: count() })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.endpointId, [...endpointIds]))
    .groupBy(webhookDeliveries.endpointId, webhookDeliveries.status);
  return endpointIds.map((id) => {
    const stats: DeliveryStats = { pending: 0, delivered: 0, failed: 0 };
    for (const row of rows.filter((r) => r.endpointId === id)) {
      const key = row.status === "delivering" ? "pending" : row.status;
      stats[key] += Number(row.n);
    }
    return stats;
  });
}

export const webhookDeliveryService = {
  get: getDelivery,
  list: listDeliveries,
  count: countDeliveries,
  replay: replayDelivery,
  replayAll: replayDeliveries,
};
