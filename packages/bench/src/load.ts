import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export const apiDir = fileURLToPath(new URL("../../../apps/api", import.meta.url));

/**
 * The API as `npm start` runs it (apps/api's `start` script): the bundle checked against its sources,
 * and rebuilt if one is newer (apps/api/build.mjs), then run. Returns the server's arguments.
 */
export function apiCommand(): string[] {
  const check = spawnSync(process.execPath, ["build.mjs", "--if-stale"], { cwd: apiDir, stdio: "inherit" });
  if (check.status !== 0) throw new Error("apps/api/build.mjs failed: the API bundle could not be built");
  return ["--enable-source-maps", "dist/main.mjs"];
}

/** An API process of its own, so the load generator and the server do not share an event loop. */
export async function startApi(
  port: number,
  env: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, apiCommand(), {
    cwd: apiDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LAUREL_BENCH: "true",
      LAUREL_SCHEDULER: "false",
      LAUREL_LOG_LEVEL: "warn",
      LAUREL_TOKEN_SECRET: "bench-secret-that-is-long-enough-0123456789",
      DATABASE_POOL_SIZE: "20",
      // The bench's one key sends as fast as the machine goes, far over the default per-key limit: the
      // limiter still counts every request (its cost is measured) but never refuses one.
      LAUREL_API_KEY_RATE: "1000000",
      // P7/P8's webhook receiver listens on loopback.
      LAUREL_WEBHOOK_ALLOW_PRIVATE: "true",
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForAnswer(url, 120_000, child);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls the API until a GraphQL query is answered; returns when it is. */
export async function waitForAnswer(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`The API process exited (${child.exitCode})`);
    try {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type LoadResult = { rps: number; p50: number; p99: number; requests: number };

/**
 * Sends one kind of GraphQL operation for `seconds` over `connections` keep-alive connections. Every
 * answer is checked: an HTTP error or a GraphQL error stops the benchmark, so a broken path can never
 * pass for a fast one.
 */
export async function load(
  url: string,
  options: {
    apiKey: string;
    connections: number;
    seconds: number;
    body: (n: number) => { query: string; variables: Record<string, unknown> };
  },
): Promise<LoadResult> {
  let n = 0;
  let failure: string | undefined;
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": options.apiKey },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(options.body(n++)) }),
        onResponse: (status, body) => {
          if (failure) return;
          if (status !== 200 || body.includes('"errors"')) failure = `HTTP ${status}: ${body.slice(0, 500)}`;
        },
      },
    ],
  });
  if (failure) throw new Error(`A request failed under load: ${failure}`);
  if (result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${result.errors} connection errors, ${result.timeouts} timeouts under load`);
  }
  return {
    rps: result.requests.total / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}
