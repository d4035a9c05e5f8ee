import type { Env } from "./env.js";

const levels = ["debug", "info", "warn", "error", "silent"] as const;
type Level = (typeof levels)[number];

export type Logger = Record<
  Exclude<Level, "silent">,
  (message: string, details?: Record<string, unknown>) => void
>;

/**
 * A failed statement's message as the query builder writes it ("Failed query: <sql>\nparams: <values>")
 * carries its parameters: password hashes, emails, tokens. They end the message, and are cut from it.
 */
const STATEMENT_PARAMETERS = /(\n|\\n)params: [\s\S]*$/;

export function withoutStatementParameters(text: string): string {
  return text.replace(STATEMENT_PARAMETERS, "\nparams: [not logged]");
}

/** An error for a log line: its messages and its causes' (never its own properties, which can hold parameters). */
function describe(error: Error): string {
  const parts = [String(error)];
  for (let e = error.cause, depth = 0; e && depth < 3; e = (e as Error).cause, depth++)
    parts.push(e instanceof Error ? String(e) : typeof e === "string" ? e : "");
  return parts.filter(Boolean).join(" <- caused by: ");
}

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return withoutStatementParameters(value);
  if (value instanceof Error) return withoutStatementParameters(describe(value));
  if (depth > 3 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, depth + 1)]));
}

/**
 * Every log line of the API passes here: statement parameters never reach a log, whoever wrote the line
 * (formatError's internal errors, background jobs, uploads) and however the error was turned into text.
 */
export function safeLogger(logger: Logger): Logger {
  const wrap = (write: Logger["error"]) => (message: string, details?: Record<string, unknown>) =>
    write(withoutStatementParameters(message), details && (clean(details) as Record<string, unknown>));
  return {
    debug: wrap(logger.debug),
    info: wrap(logger.info),
    warn: wrap(logger.warn),
    error: wrap(logger.error),
  };
}

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
  return safeLogger({
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  });
}
