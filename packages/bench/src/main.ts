// pnpm bench: Laurel's speed goals as ratios measured side by side in one run (absolute times on a
// shared machine mean little). On PostgreSQL when DATABASE_URL is set (each phase in a scratch database
// it drops afterwards), else on PGlite. Prints a table and writes JSON to packages/bench/results/.
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createServer } from "@laurel/api/app.js";
import { loadEnv } from "@laurel/api/env.js";
import { finalizePastYear, processPendingSummaries } from "@laurel/api/jobs/summaries.js";
import { createLogger } from "@laurel/api/logger.js";
import { Scoring } from "@laurel/api/scoring/state.js";
import { schema } from "@laurel/db";
import { SingleBar } from "cli-progress";
import { eq, sql } from "drizzle-orm";
import { freshStore } from "./database.js";
import { load, type LoadResult, startApi, waitForAnswer } from "./load.js";
import { countEvents, seedArena, seedCatalog, seedVolunteers } from "./seed.js";
import { Outbound } from "./outbound.js";
import { startEmbedded } from "./start.js";
import { TokenService } from "@laurel/api/modules/auth/token.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    seconds: { type: "string" },
    connections: { type: "string" },
  },
});
const quick = args.quick;
const config = {
  rounds: Number(args.rounds ?? (quick ? 1 : 3)),
  seconds: Number(args.seconds ?? (quick ? 2 : 5)),
  connections: Number(args.connections ?? 16),
  players: quick ? 200 : 2000,
  history: quick ? 5_000 : 100_000,
  mentors: quick ? 500 : 10_000,
  perMentor: quick ? 20 : 100,
  starts: quick ? 1 : 3,
};

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const seconds = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};

const steps = [
  "P6 embedded start",
  "seed the arena",
  "start the API",
  "warm up",
  ...Array.from({ length: config.rounds }, (_, i) => `load round ${i + 1}/${config.rounds}`),
  "P3 catalog statements",
  "seed volunteers",
  ...Array.from({ length: config.rounds }, (_, i) => `P4 round ${i + 1}/${config.rounds}`),
];
const bar = new SingleBar({
  format: " {bar} {value}/{total} {step}",
  hideCursor: true,
  noTTYOutput: !process.stdout.isTTY,
  notTTYSchedule: 10_000,
});
const driver = process.env.DATABASE_URL ? "postgres" : "pglite";
console.log(`Laurel bench on ${driver}${quick ? " (quick)" : ""}: ${JSON.stringify(config)}`);
bar.start(steps.length, 0, { step: steps[0] });
const step = (done: number) => bar.update(done, { step: steps[done] ?? "done" });

// P6: the embedded database from an empty folder to the first answered query, on an idle machine.
const starts: number[] = [];
for (let i = 0; i < config.starts; i++) starts.push(await startEmbedded(4790 + i));
step(1);

// P1, P2, P5: HTTP load on one API process.
const arenaStore = await freshStore("arena");
let arena: Awaited<ReturnType<typeof seedArena>>;
{
  const database = await arenaStore.open();
  arena = await seedArena(database.db, {
    players: config.players,
    history: config.history,
    rounds: config.rounds,
  });
  await database.close();
}
step(2);
const api = await startApi(4780, arenaStore.env);
step(3);

const RECORD = `mutation($u: ID!, $t: String!, $k: String, $v: Float) {
  recordEvent(userId: $u, type: $t, idempotencyKey: $k, value: $v) { replayed event { id } awards { achievementId } } }`;
const BARE = `mutation($u: ID!, $t: String!, $k: String) { benchInsertEvent(userId: $u, type: $t, idempotencyKey: $k) }`;
const player = (n: number) => arena.players[n % arena.players.length]!;
const loads = (round: string) => ({
  bare: (n: number) => ({
    query: BARE,
    variables: { u: player(n), t: "match_won", k: `bare-${round}-${n}` },
  }),
  full: (n: number) => ({
    query: RECORD,
    variables: { u: player(n), t: "match_won", k: `full-${round}-${n}` },
  }),
  hooked: (n: number) => ({
    query: RECORD,
    variables: { u: player(n), t: "match_won", k: `hooked-${round}-${n}` },
  }),
  veteran: (n: number) => ({
    query: RECORD,
    variables: { u: arena.veteran, t: "deposit", v: 10, k: `veteran-${round}-${n}` },
  }),
  newcomer: (n: number) => ({
    query: RECORD,
    variables: {
      u: arena.newcomers[Number(round) % arena.newcomers.length],
      t: "deposit",
      v: 10,
      k: `newcomer-${round}-${n}`,
    },
  }),
  replay: () => ({ query: RECORD, variables: { u: arena.veteran, t: "deposit", v: 10, k: "replayed-key" } }),
});
const run = (
  body: (n: number) => { query: string; variables: Record<string, unknown> },
  secs = config.seconds,
) => load(api.url, { apiKey: arena.apiKey, connections: config.connections, seconds: secs, body });

// P7/P8: a webhook endpoint of the tenant's admin (off until P7's runs) and its receiver here.
const { token: adminToken } = await new TokenService(
  "bench-secret-that-is-long-enough-0123456789",
  "12h",
).sign(arena.admin, 0, new Date());
const outbound = new Outbound(api.url, adminToken);
await outbound.setUp();
/** P7's A: the full load with the endpoint on and a subscription open; then every delivery received. */
const hooked = async (
  body: (n: number) => { query: string; variables: Record<string, unknown> },
  secs?: number,
) => {
  await outbound.attach(true);
  const result = await run(body, secs);
  await outbound.settle();
  await outbound.attach(false);
  return result;
};

// Warm-up: each path once under load, and the replayed key's first (real) recording.
const warm = loads("warm");
await run(warm.bare, 1);
await run(warm.full, 1);
await run(warm.veteran, 1);
await run(warm.replay, 1);
await hooked(warm.hooked, 1);
outbound.lags.length = 0;
step(4);

const samples: Record<"bare" | "full" | "veteran" | "newcomer" | "replay" | "hooked", LoadResult[]> = {
  hooked: [],
  bare: [],
  full: [],
  veteran: [],
  newcomer: [],
  replay: [],
};
let replayAdded = 0;
for (let round = 0; round < config.rounds; round++) {
  // Interleaved, so a noisy moment hurts every kind alike.
  const kinds = loads(String(round));
  samples.bare.push(await run(kinds.bare));
  samples.full.push(await run(kinds.full));
  samples.newcomer.push(await run(kinds.newcomer));
  samples.veteran.push(await run(kinds.veteran));
  const before = await settledCount();
  samples.replay.push(await run(kinds.replay));
  replayAdded += (await settledCount()) - before;
  samples.hooked.push(await hooked(kinds.hooked));
  step(5 + round);
}
await outbound.close();
await api.stop();
const repeated = [...outbound.received.values()].filter((n) => n > 1).length;

/** The arena's event count once the requests a load run left in flight have finished. */
async function settledCount() {
  let last = await countRows(arenaStore, arena.organizationId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await countRows(arenaStore, arena.organizationId);
    if (now === last) return now;
    last = now;
  }
}

async function countRows(store: typeof arenaStore, organizationId: string) {
  // PGlite belongs to the API process while it runs: ask the API instead (its API key's organization).
  if (store.driver === "pglite") return countThroughApi();
  const database = await store.open();
  try {
    return await countEvents(database.db, organizationId);
  } finally {
    await database.close();
  }
}
async function countThroughApi() {
  const response = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": arena.apiKey },
    body: JSON.stringify({ query: `{ benchEventCount }` }),
  });
  const body = (await response.json()) as { data?: { benchEventCount: number }; errors?: unknown };
  if (!body.data) throw new Error(`benchEventCount failed: ${JSON.stringify(body.errors)}`);
  return body.data.benchEventCount;
}
await arenaStore.dispose();

// P3: statements per badge-catalog request, counted in-process on one database.
const catalogStore = await freshStore("catalog");
const statementsPer: Record<number, number> = {};
{
  let statements = 0;
  const database = await catalogStore.open({ onQuery: () => statements++ });
  const env = loadEnv({
    ...catalogStore.env,
    LAUREL_LOG_LEVEL: "silent",
    LAUREL_TOKEN_SECRET: "bench-secret-that-is-long-enough-0123456789",
  });
  const server = await createServer({ env, database, logger: createLogger("silent", false) });
  const url = await server.listen(0, "127.0.0.1");
  await waitForAnswer(url, 10_000);
  for (const size of [20, 200]) {
    const tenant = await seedCatalog(database.db, size);
    // A player just made: token version 0.
    const { token } = await server.services.tokens.sign(tenant.player, 0, new Date());
    const ask = async () => {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ myBadges { key state progress rules { value holds } } }" }),
      });
      const body = (await response.json()) as { data?: { myBadges: unknown[] } };
      if (body.data?.myBadges.length !== size)
        throw new Error(`myBadges: ${JSON.stringify(body).slice(0, 300)}`);
    };
    await ask();
    const before = statements;
    await ask();
    statementsPer[size] = statements - before;
  }
  await server.close();
  await database.close();
}
await catalogStore.dispose();
step(steps.indexOf("seed volunteers"));

// P4: Wrapped for every peer mentor of a year against one hand-written GROUP BY over the same rows.
const wrappedStore = await freshStore("wrapped");
const groupBy: number[] = [];
const wrapped: number[] = [];
{
  const database = await wrappedStore.open();
  const db = database.db;
  const now = new Date();
  const year = now.getUTCFullYear() - 1;
  const volunteers = await seedVolunteers(db, { mentors: config.mentors, perMentor: config.perMentor, year });
  // After a bulk load, as PostgreSQL's autovacuum and the embedded job's upkeep (maintainEmbedded) do.
  await db.execute(sql`vacuum analyze activities`);
  step(steps.indexOf("seed volunteers") + 1);
  const logger = createLogger("silent", false);
  for (let round = 0; round < config.rounds; round++) {
    groupBy.push(
      await seconds(() =>
        db.execute(sql`
          select user_id, count(*) as activities, sum(duration_minutes) / 60.0 as hours,
                 count(distinct contact_ref) as contacts,
                 array_agg(n order by m) as monthly
          from (
            select user_id, duration_minutes, contact_ref,
                   extract(month from occurred_at at time zone 'Europe/Oslo') as m,
                   count(*) over (partition by user_id, extract(month from occurred_at at time zone 'Europe/Oslo')) as n
            from activities
            where organization_id = ${volunteers.organizationId}::uuid and deleted_at is null
              and occurred_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Europe/Oslo')
              and occurred_at < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'Europe/Oslo')
          ) a
          group by user_id`),
      ),
    );
    await db
      .update(schema.annualSummaries)
      .set({ generationStatus: "pending" })
      .where(eq(schema.annualSummaries.organizationId, volunteers.organizationId));
    let ready = 0;
    wrapped.push(
      await seconds(async () => {
        await finalizePastYear(db, now);
        // As the scheduled job runs it: two batches side by side on PostgreSQL (LAUREL_JOB_PARALLEL).
        ready = (
          await processPendingSummaries(db, new Scoring(db), { now: () => now }, logger, {
            leaseMs: 3_600_000,
            parallel: driver === "postgres" ? 2 : 1,
          })
        ).ready;
      }),
    );
    if (ready !== volunteers.mentors)
      throw new Error(`Wrapped made ${ready} summaries, not ${volunteers.mentors}`);
    step(steps.indexOf("seed volunteers") + 2 + round);
  }
  await database.close();
}
await wrappedStore.dispose();
bar.stop();

// The table and the JSON.
type Throughput = { rps: number; p50: number };
const m = (xs: LoadResult[]): Throughput => ({
  rps: median(xs.map((x) => x.rps)),
  p50: median(xs.map((x) => x.p50)),
});
const bare = m(samples.bare);
const full = m(samples.full);
const veteran = m(samples.veteran);
const newcomer = m(samples.newcomer);
const replay = m(samples.replay);
const hookedLoad = m(samples.hooked);
const lagP99 = percentile(outbound.lags, 0.99);
/** A row comparing two load runs' throughput: A/B must be at least `min`, and `also` hold if given. */
const throughput = (
  id: string,
  what: string,
  a: Throughput,
  b: Throughput,
  min: number,
  also?: { holds: boolean; goal: string },
) => {
  const ratio = a.rps / b.rps;
  return {
    id,
    what,
    a: `${a.rps.toFixed(0)} req/s`,
    b: `${b.rps.toFixed(0)} req/s`,
    ratio,
    goal: `>= ${min.toFixed(1)}${also ? `, ${also.goal}` : ""}`,
    holds: ratio >= min && (also?.holds ?? true),
  };
};
const rows = [
  throughput(
    "P1",
    "recordEvent, 100 achievements (awards, rewards, notifications) vs bare insert",
    full,
    bare,
    0.5,
  ),
  throughput(
    "P2",
    `recordEvent for a user with ${config.history.toLocaleString("en")} prior events vs none`,
    veteran,
    newcomer,
    0.9,
  ),
  {
    id: "P3",
    what: "SQL statements per badge-catalog request, 20 vs 200 achievements",
    a: `${statementsPer[20]}`,
    b: `${statementsPer[200]}`,
    ratio: statementsPer[200]! / statementsPer[20]!,
    goal: "<= 3, equal",
    holds: statementsPer[20] === statementsPer[200] && statementsPer[200]! <= 3,
  },
  {
    id: "P4",
    what: `Wrapped for ${config.mentors.toLocaleString("en")} mentors / ${(config.mentors * config.perMentor).toLocaleString("en")} activities vs one GROUP BY`,
    a: `${median(wrapped).toFixed(2)} s`,
    b: `${median(groupBy).toFixed(2)} s`,
    ratio: median(wrapped) / median(groupBy),
    goal: "<= 2",
    holds: median(wrapped) / median(groupBy) <= 2,
  },
  throughput("P5", `replayed idempotency key vs bare insert (rows added: ${replayAdded})`, replay, bare, 1, {
    holds: replayAdded === 0,
    goal: "no row",
  }),
  throughput(
    "P7",
    "recordEvent with one webhook endpoint (every type) and one open subscription vs none",
    hookedLoad,
    full,
    0.9,
    { holds: outbound.subscribed > 0, goal: "events heard" },
  ),
  {
    id: "P8",
    what: `webhook delivery lag, commit to the receiver's 200, p99 of ${outbound.lags.length.toLocaleString("en")} at P7's load (repeats: ${repeated})`,
    a: `${lagP99.toFixed(0)} ms`,
    b: "",
    ratio: lagP99 / 1000,
    goal: "<= 1 s",
    holds: outbound.lags.length > 0 && lagP99 <= 1000,
  },
  {
    id: "P6",
    what: "embedded start, empty data folder to first answered query",
    a: `${median(starts).toFixed(2)} s`,
    b: "",
    ratio: median(starts),
    goal: "<= 5 s",
    holds: median(starts) <= 5,
  },
];

const widths = [3, Math.max(...rows.map((r) => r.what.length)), 12, 12, 7, 14, 5];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`\n${line(["", "Measure (medians)", "A", "B", "A/B", "Goal", "Holds"])}`);
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) {
  console.log(
    line([
      r.id,
      r.what,
      r.a,
      r.b,
      r.id === "P6" || r.id === "P8" ? "" : r.ratio.toFixed(2),
      r.goal,
      r.holds ? "yes" : "NO",
    ]),
  );
}
console.log(
  `\nLatency p50: bare ${bare.p50} ms, full ${full.p50} ms, veteran ${veteran.p50} ms, newcomer ${newcomer.p50} ms, replay ${replay.p50} ms`,
);

const commit = (() => {
  try {
    return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();
const resultsDir = fileURLToPath(new URL("../results", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const report = {
  commit,
  at: new Date().toISOString(),
  driver,
  node: process.version,
  config,
  rows,
  samples,
  starts,
  statementsPer,
  wrapped,
  groupBy,
  replayAdded,
};
const file = join(resultsDir, `${report.at.replace(/[:.]/g, "-")}-${commit}-${driver}.json`);
const json = `${JSON.stringify(report, null, 2)}\n`;
writeFileSync(file, json);
writeFileSync(join(resultsDir, `latest-${driver}.json`), json);
console.log(`Results: ${file}`);
process.exit(0);
