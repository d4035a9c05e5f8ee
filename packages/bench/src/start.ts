import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiCommand, apiDir, waitForAnswer } from "./load.js";

/**
 * P6: seconds from starting the API on an empty embedded data folder (create, migrate, bootstrap,
 * listen) to the first answered GraphQL query, as `npm start` does it after install.
 */
export async function startEmbedded(port: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "laurel-bench-start-"));
  const started = performance.now();
  const child = spawn(process.execPath, apiCommand(), {
    cwd: apiDir,
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: "",
      LAUREL_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LAUREL_SCHEDULER: "false",
      LAUREL_LOG_LEVEL: "warn",
    },
  });
  try {
    await waitForAnswer(`http://127.0.0.1:${port}`, 60_000, child);
    return (performance.now() - started) / 1000;
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
