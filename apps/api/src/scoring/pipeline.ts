import type { Executor } from "@laurel/db";
import { type Intent, needsOf, type Needs, type Plan, planScoring } from "@laurel/engine";
import type { CatalogCache } from "./catalog.js";
import type { AchievementRow, Award, Catalog, EventRow, Tenant } from "./model.js";
import { type NewEventRow, readStanding, writePlans, type Written } from "./store.js";

/** One user's change: what it asks of their standing, the event it stores if any, and whether to tell them. */
export type Change = {
  userId: string;
  intent: Intent<AchievementRow>;
  event?: NewEventRow | null;
  notify?: boolean;
};

export type Outcome =
  | { userId: string; status: "written"; plan: Plan<AchievementRow>; event: EventRow | null; awards: Award[] }
  /** Planned, not written (a dry run). */
  | { userId: string; status: "planned"; plan: Plan<AchievementRow> }
  /** The event's idempotency key is taken: the caller answers with the first result. */
  | { userId: string; status: "known" }
  | { userId: string; status: "missing" | "inactive" };

/** Reads as a late event's history or a cascade asks, at most this many times. */
const READS = 4;

/** The awards written, with their achievements and rewards, in the plan's order. */
export function awardsOf(
  plan: Plan<AchievementRow>,
  written: Extract<Written, { kind: "written" }>,
): Award[] {
  return written.awards.map((row, i) => ({
    ...row,
    achievement: plan.awards[i]!.achievement,
    rewards: [...plan.awards[i]!.grants],
  }));
}

/**
 * Changes to users' standing (one change per user), in the caller's transaction, which holds their locks:
 * one read of what every change needs (again for those whose plan asks for more), a plan each, and one
 * write of all. The same read, planner and write as the intake's lock-free path; here the lock is the guard.
 */
export async function scoreLocked(
  tx: Executor,
  catalogs: CatalogCache,
  tenant: Tenant,
  changes: readonly Change[],
  now: Date,
  options: { catalog?: Catalog; dryRun?: boolean } = {},
): Promise<Outcome[]> {
  if (changes.length === 0) return [];
  const catalog = options.catalog ?? (await catalogs.at(tx, tenant));
  const outcomes = new Map<string, Outcome>();
  const planned = await planAll(tx, catalog, tenant, changes, now, outcomes);
  const ready = changes.filter((c) => planned.has(c.userId));
  if (options.dryRun)
    for (const { userId } of ready)
      outcomes.set(userId, { userId, status: "planned", plan: planned.get(userId)! });
  else if (ready.length > 0) {
    const written = await writePlans(
      tx,
      ready.map((change) => ({
        organizationId: tenant.id,
        userId: change.userId,
        guard: null,
        event: change.event ?? null,
        plan: planned.get(change.userId)!,
        catalog,
        at: change.intent.at,
        now,
        notify: change.notify !== false,
      })),
    );
    ready.forEach(({ userId }, i) =>
      outcomes.set(userId, outcomeOf(userId, planned.get(userId)!, written[i]!)),
    );
  }
  return changes.map((c) => outcomes.get(c.userId)!);
}

/** Every change planned, reading again for those that ask; users missing, inactive or replayed go to `outcomes`. */
async function planAll(
  tx: Executor,
  catalog: Catalog,
  tenant: Tenant,
  changes: readonly Change[],
  now: Date,
  outcomes: Map<string, Outcome>,
) {
  const planned = new Map<string, Plan<AchievementRow>>();
  let pending = changes.map((change) => ({
    change,
    needs: needsOf(catalog, tenant.timeZone, change.intent, now),
  }));
  for (let round = 0; pending.length > 0; round++) {
    if (round === READS) throw new Error("A change to a user's standing kept asking for more to read");
    const reads = await readStanding(
      tx,
      tenant.id,
      pending.map(({ change, needs }) => ({
        userId: change.userId,
        idempotencyKey: change.event?.idempotencyKey ?? null,
        needs,
      })),
    );
    const next: { change: Change; needs: Needs }[] = [];
    pending.forEach(({ change, needs }, i) => {
      const read = reads[i]!;
      const { userId } = change;
      if (!read.found) return outcomes.set(userId, { userId, status: "missing" });
      if (!read.isActive) return outcomes.set(userId, { userId, status: "inactive" });
      if (read.known) return outcomes.set(userId, { userId, status: "known" });
      const result = planScoring(catalog, tenant.timeZone, change.intent, needs, read.snapshot, now);
      if (result.kind === "read") next.push({ change, needs: result.needs });
      else planned.set(userId, result.plan);
    });
    pending = next;
  }
  return planned;
}

function outcomeOf(userId: string, plan: Plan<AchievementRow>, written: Written): Outcome {
  // Under the user's lock nothing can move them: a failed guard is a bug, not a race.
  if (written.kind === "moved")
    throw new Error(`The write of a locked user's plan found the user changed: ${userId}`);
  if (written.kind === "known") return { userId, status: "known" };
  return { userId, status: "written", plan, event: written.event, awards: awardsOf(plan, written) };
}
