import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

/** Polls a URL until it answers 2xx (a minute at most). */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * Real API processes (`src/main.ts`) on loopback, one per port, on the database this process's env
 * names, without the scheduler; resolves once each answers /health. `stop` sends them SIGTERM.
 */
export async function startApiProcesses(
  ports: readonly number[],
  env: Record<string, string>,
): Promise<{ children: ChildProcess[]; stop(): void }> {
  const children = ports.map((port) =>
    spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: apiDir,
      stdio: "ignore",
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        LAUREL_SCHEDULER: "false",
        LAUREL_LOG_LEVEL: "silent",
        ...env,
      },
    }),
  );
  const stop = () => {
    for (const child of children) child.kill("SIGTERM");
  };
  try {
    await Promise.all(ports.map((port) => waitFor(`http://127.0.0.1:${port}/health`)));
  } catch (error) {
    stop();
    throw error;
  }
  return { children, stop };
}
