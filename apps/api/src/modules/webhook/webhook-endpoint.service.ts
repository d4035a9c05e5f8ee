import { randomUUID } from "node:crypto";
import { schema } from "@laurel/db";
import { TEST_EVENT_TYPE } from "@laurel/engine";
import { and, eq, ilike, inArray, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { invalid } from "../../errors.js";
import { countRows, definedOnly, selectPage } from "../../lib/crud.js";
import { guarded } from "../../lib/db-errors.js";
import type { ListArgs } from "../../lib/list.js";
import { ownRows, targetOrganization } from "../../lib/tenancy.js";
import { newWebhookSecret } from "../../outbox/secrets.js";
import { parseInput } from "../../validation.js";
import {
  type DeliveryView,
  deliveryViewOf,
  type EndpointRow,
  readableEndpoint,
  writableEndpoint,
} from "./webhook.store.js";
import type {
  CreateWebhookEndpointArgs,
  RotateWebhookSecretArgs,
  UpdateWebhookEndpointArgs,
  WebhookEndpointFilter,
} from "./webhook.input.js";
import { endpointFields, MAX_OVERLAP_HOURS } from "./webhook.rules.js";

const { webhookEndpoints, webhookDeliveries, outbox, outboxPending } = schema;

/** An endpoint as the API shows it: never its stored secrets; the new secret only right after making it. */
export type EndpointView = Omit<EndpointRow, "secret" | "previousSecret"> & { revealedSecret: string | null };

function viewOf(row: EndpointRow, revealedSecret: string | null = null): EndpointView {
  const { secret: _secret, previousSecret: _previous, ...shown } = row;
  return { ...shown, revealedSecret };
}

const sortable = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  enabled: webhookEndpoints.enabled,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

const organizationMissing = {
  webhook_endpoints_organization_id_organizations_id_fk: {
    field: "organizationId",
    rule: "exists",
    message: "No organization has this id",
  },
};

const fieldsOf = (ctx: Context) =>
  endpointFields({ production: ctx.app.env.production, allowPrivate: ctx.app.env.webhooks.allowPrivate });

function whereOf(ctx: Context, filter: WebhookEndpointFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, webhookEndpoints.organizationId),
    filter.q
      ? or(ilike(webhookEndpoints.url, `%${filter.q}%`), ilike(webhookEndpoints.description, `%${filter.q}%`))
      : undefined,
    filter.id ? eq(webhookEndpoints.id, filter.id) : undefined,
    filter.ids ? inArray(webhookEndpoints.id, filter.ids) : undefined,
    filter.enabled === undefined || filter.enabled === null
      ? undefined
      : eq(webhookEndpoints.enabled, filter.enabled),
    filter.organizationId ? eq(webhookEndpoints.organizationId, filter.organizationId) : undefined,
  );
}

async function createEndpoint(ctx: Context, args: CreateWebhookEndpointArgs): Promise<EndpointView> {
  const input = parseInput(z.object(fieldsOf(ctx)), { ...args, description: args.description ?? "" });
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: false })!;
  // The id first: the sealed secret is bound to it.
  const id = randomUUID();
  const secret = newWebhookSecret();
  const [row] = await guarded(
    () =>
      ctx.db
        .insert(webhookEndpoints)
        .values({
          id,
          organizationId,
          url: input.url,
          eventTypes: input.eventTypes,
          description: input.description,
          secret: ctx.app.outbox.secrets.seal(secret, id),
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning(),
    organizationMissing,
  );
  return viewOf(row!, secret);
}

/** Changes what was sent; enabled: true clears the disabled state and the failure streak, false disables (admin). */
async function updateEndpoint(ctx: Context, args: UpdateWebhookEndpointArgs): Promise<EndpointView> {
  const existing = await writableEndpoint(ctx, args.id);
  const { id: _id, enabled, ...changes } = args;
  const input = definedOnly(parseInput(z.object(fieldsOf(ctx)).partial(), definedOnly(changes)));
  const state =
    enabled === true
      ? { enabled: true, disabledReason: null, failingSince: null }
      : enabled === false && existing.enabled
        ? { enabled: false, disabledReason: "admin" }
        : {};
  // A new URL is a new receiver: the old one's failures say nothing about it.
  const moved = input.url !== undefined && input.url !== existing.url ? { failingSince: null } : {};
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ ...input, ...moved, ...state, updatedAt: ctx.now })
    .where(eq(webhookEndpoints.id, existing.id))
    .returning();
  return viewOf(row!);
}

/** Deletes the endpoint and its delivery log. */
async function deleteEndpoint(ctx: Context, id: string): Promise<EndpointView> {
  const existing = await writableEndpoint(ctx, id);
  await ctx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, existing.id));
  return viewOf(existing);
}

/** A new secret, shown once; the old one keeps signing beside it for `overlapHours` (none for 0). */
async function rotateSecret(ctx: Context, args: RotateWebhookSecretArgs): Promise<EndpointView> {
  const overlap = args.overlapHours ?? 24;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_OVERLAP_HOURS) {
    throw invalid("overlapHours", "range", `overlapHours must be 0 to ${MAX_OVERLAP_HOURS}`);
  }
  const existing = await writableEndpoint(ctx, args.id);
  const secret = newWebhookSecret();
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({
      secret: ctx.app.outbox.secrets.seal(secret, existing.id),
      previousSecret: overlap > 0 ? existing.secret : null,
      previousSecretUntil: overlap > 0 ? new Date(ctx.now.getTime() + overlap * 3_600_000) : null,
      updatedAt: ctx.now,
    })
    .where(eq(webhookEndpoints.id, existing.id))
    .returning();
  return viewOf(row!, secret);
}

/**
 * A `webhook.test` event to this endpoint alone: an outbox row marked relayed at once (so no relay hands
 * it to other endpoints, subscriptions or NATS) and its one delivery, due now.
 */
async function sendTestWebhook(ctx: Context, id: string): Promise<DeliveryView> {
  const endpoint = await writableEndpoint(ctx, id);
  if (!endpoint.enabled) {
    throw invalid("id", "endpoint_disabled", "Enable the endpoint before sending it a test event");
  }
  const delivery = await ctx.db.transaction(async (tx) => {
    const [event] = await tx
      .insert(outbox)
      .values({
        organizationId: endpoint.organizationId,
        type: TEST_EVENT_TYPE,
        payload: { endpointId: endpoint.id, message: "A test event from Laurel" },
        occurredAt: ctx.now,
      })
      .returning();
    // Taken off the relay's queue at once: nobody else hears a test event.
    await tx.delete(outboxPending).where(eq(outboxPending.id, event!.id));
    const [made] = await tx
      .insert(webhookDeliveries)
      .values({
        organizationId: endpoint.organizationId,
        endpointId: endpoint.id,
        outboxId: event!.id,
        eventType: TEST_EVENT_TYPE,
        nextAttemptAt: ctx.now,
        createdAt: ctx.now,
      })
      .returning();
    return deliveryViewOf(made!, event!);
  });
  ctx.app.outbox.dispatcher.kick();
  return delivery;
}

export const webhookEndpointService = {
  get: async (ctx: Context, id: string) => viewOf(await readableEndpoint(ctx, id)),
  list: async (ctx: Context, args: ListArgs, filter?: WebhookEndpointFilter) =>
    (await selectPage(ctx.db, webhookEndpoints, whereOf(ctx, filter), args, sortable, "createdAt")).map(
      (row) => viewOf(row),
    ),
  count: (ctx: Context, filter?: WebhookEndpointFilter) =>
    countRows(ctx.db, webhookEndpoints, whereOf(ctx, filter)),
  create: createEndpoint,
  update: updateEndpoint,
  remove: deleteEndpoint,
  rotateSecret,
  sendTestWebhook,
};
