import type { Env } from "./env.js";

const levels = ["debug", "info", "warn", "error", "silent"] as const;
type Level = (typeof levels)[number];

export type Logger = Record<
  Exclude<Level, "silent">,
  (message: string, details?: Record<string, unknown>) => void
>;

/** Structured, one JSON line per entry in production; readable lines in development. */
export function createLogger(level: Env["logLevel"], production: boolean): Logger {
  const threshold = levels.indexOf(level);
  const write = (at: Exclude<Level, "silent">) => (message: string, details?: Record<string, unknown>) => {
    if (levels.indexOf(at) < threshold) return;
    const stream = at === "error" || at === "warn" ? process.stderr : process.stdout;
    if (production) {
      stream.write(`${JSON.stringify({ level: at, time: new Date().toISOString(), message, ...details })}\n`);
    } else {
      stream.write(`[laurel] ${at.padEnd(5)} ${message}${details ? ` ${JSON.stringify(details)}` : ""}\n`);
    }
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
