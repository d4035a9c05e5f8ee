import { schema } from "@laurel/db";
import { eq, sql } from "drizzle-orm";
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { requireViewer } from "../../lib/tenancy.js";

/**
 * `pnpm bench`'s baseline: one event row inserted through the same server (HTTP, Apollo, sign-in by
 * API key), with none of the intake's work. In the schema only when the server runs with
 * LAUREL_BENCH=true, which production refuses.
 */
@Resolver()
export class BenchResolver {
  @Authorized("ingest:events")
  @Mutation(() => ID, { description: "Benchmark baseline: inserts one event row and nothing else." })
  async benchInsertEvent(
    @Arg("userId", () => ID) userId: string,
    @Arg("type", () => String) type: string,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const viewer = requireViewer(ctx);
    const [row] = await ctx.db
      .insert(schema.events)
      .values({
        organizationId: viewer.organizationId!,
        userId,
        type,
        value: null,
        attributes: {},
        occurredAt: ctx.now,
        idempotencyKey: idempotencyKey ?? null,
        payloadHash: "",
        source: "api_key",
      })
      .returning({ id: schema.events.id });
    return row!.id;
  }

  @Authorized("ingest:events")
  @Query(() => Int, { description: "Benchmark check: the events of the caller's organization." })
  async benchEventCount(@Ctx() ctx: Context): Promise<number> {
    const viewer = requireViewer(ctx);
    const [row] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.events)
      .where(eq(schema.events.organizationId, viewer.organizationId!));
    return row!.n;
  }
}
