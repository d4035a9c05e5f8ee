import { randomBytes } from "node:crypto";
import { schema } from "@laurel/db";
import { API_KEY_PERMISSIONS } from "@laurel/engine";
import { and, eq, gt, ilike, inArray, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Context } from "../../context.js";
import { invalid, NotFound } from "../../errors.js";
import { countRows, selectPage } from "../../lib/crud.js";
import type { ListArgs } from "../../lib/list.js";
import { assertNoEscalation } from "../../lib/permissions.js";
import { assertCanWrite, canSee, ownRows, requireUser, targetOrganization } from "../../lib/tenancy.js";
import { nonEmptyText, parseInput } from "../../validation.js";
import { sha256 } from "../../lib/password.js";
import type { ApiKeyFilter, CreateApiKeyArgs, UpdateApiKeyArgs } from "./api-key.input.js";

const { apiKeys } = schema;
export type ApiKeyRow = typeof apiKeys.$inferSelect & { secret?: string | null };

const sortable = {
  id: apiKeys.id,
  name: apiKeys.name,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

const createSchema = z.object({
  name: nonEmptyText("name", "name_not_empty"),
  permissions: z
    .array(
      z.string().refine((p) => (API_KEY_PERMISSIONS as readonly string[]).includes(p), {
        message: `API keys may hold ${API_KEY_PERMISSIONS.join(", ")}`,
        params: { rule: "api_key_permission" },
      }),
    )
    .default(["ingest:events"]),
  expiresAt: z.date().optional(),
});

function whereOf(ctx: Context, filter: ApiKeyFilter = {}): SQL | undefined {
  return and(
    ownRows(ctx, apiKeys.organizationId),
    filter.q ? ilike(apiKeys.name, `%${filter.q}%`) : undefined,
    filter.id ? eq(apiKeys.id, filter.id) : undefined,
    filter.ids ? inArray(apiKeys.id, filter.ids) : undefined,
    filter.organizationId ? eq(apiKeys.organizationId, filter.organizationId) : undefined,
    filter.active
      ? and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, ctx.now)))
      : undefined,
  );
}

async function getApiKey(ctx: Context, id: string): Promise<ApiKeyRow> {
  const [row] = await ctx.db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row || !canSee(ctx, row.organizationId)) throw new NotFound("ApiKey", id);
  return row;
}

async function createApiKey(ctx: Context, args: CreateApiKeyArgs): Promise<ApiKeyRow> {
  const input = parseInput(createSchema, args);
  // A key is its creator's delegate: it carries nothing the creator does not hold.
  assertNoEscalation(ctx, input.permissions);
  if (input.expiresAt && input.expiresAt.getTime() <= ctx.now.getTime()) {
    throw invalid("expiresAt", "expires_in_future", "A new key must expire in the future");
  }
  const organizationId = targetOrganization(ctx, args.organizationId, { platformAllowed: false })!;
  const secret = `lrl_${randomBytes(32).toString("base64url")}`;
  const [row] = await ctx.db
    .insert(apiKeys)
    .values({
      ...input,
      organizationId,
      prefix: secret.slice(0, 12),
      secretHash: sha256(secret),
      createdById: requireUser(ctx).userId,
    })
    .returning();
  return { ...row!, secret };
}

async function updateApiKey(ctx: Context, args: UpdateApiKeyArgs): Promise<ApiKeyRow> {
  const existing = await getApiKey(ctx, args.id);
  assertCanWrite(ctx, existing.organizationId, "API key");
  if (args.name === undefined || args.name === null) return existing;
  const { name } = parseInput(createSchema.pick({ name: true }), { name: args.name });
  const [row] = await ctx.db.update(apiKeys).set({ name }).where(eq(apiKeys.id, existing.id)).returning();
  return row!;
}

/** Revokes the key; the row stays, so its use can still be traced. */
async function revokeApiKey(ctx: Context, id: string): Promise<ApiKeyRow> {
  const existing = await getApiKey(ctx, id);
  assertCanWrite(ctx, existing.organizationId, "API key");
  const [row] = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: existing.revokedAt ?? ctx.now })
    .where(eq(apiKeys.id, existing.id))
    .returning();
  return row!;
}

export const apiKeyService = {
  get: getApiKey,
  list: (ctx: Context, args: ListArgs, filter?: ApiKeyFilter) =>
    selectPage(ctx.db, apiKeys, whereOf(ctx, filter), args, sortable, "createdAt"),
  count: (ctx: Context, filter?: ApiKeyFilter) => countRows(ctx.db, apiKeys, whereOf(ctx, filter)),
  create: createApiKey,
  update: updateApiKey,
  remove: revokeApiKey,
};
