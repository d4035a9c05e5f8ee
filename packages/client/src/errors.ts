import { ClientError } from "graphql-request";

/** One broken validation rule of a field, as the API names it (seed rule names such as `key_format`). */
export type LaurelIssue = {
  field: string;
  rule: string;
  message: string;
  /** `error` blocks the change; `warning` never does. */
  severity: string;
};

/**
 * Why a call failed, in a form the app can show and act on. `code` is the API's extension code
 * (`BAD_USER_INPUT`, `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `TOO_MANY_ATTEMPTS` ...),
 * or one of the client's own: `NETWORK_ERROR` when the API could not be reached, `BAD_RESPONSE` when
 * it answered with something that is not GraphQL.
 */
export type LaurelError = {
  code: string;
  message: string;
  issues: LaurelIssue[];
  /** The HTTP status, when there was a response. */
  status?: number;
  /** The API's other extensions, e.g. `permission` or `retryAfterSeconds`. */
  details?: Record<string, unknown>;
};

export type LaurelResult<T> = { ok: true; data: T } | { ok: false; error: LaurelError };

function asIssues(value: unknown): LaurelIssue[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null)
    .map((i) => ({
      field: String(i.field ?? ""),
      rule: String(i.rule ?? ""),
      message: String(i.message ?? ""),
      severity: String(i.severity ?? "error"),
    }));
}

/** Turns whatever a request threw into a LaurelError; never throws itself. */
export function toLaurelError(thrown: unknown): LaurelError {
  if (thrown instanceof ClientError) {
    const status = thrown.response.status;
    const first = thrown.response.errors?.[0];
    if (first) {
      const {
        code,
        issues,
        http: _http,
        stacktrace: _stack,
        ...details
      } = (first.extensions ?? {}) as Record<string, unknown>;
      return {
        code: typeof code === "string" ? code : "INTERNAL_SERVER_ERROR",
        message: first.message,
        issues: asIssues(issues),
        status,
        ...(Object.keys(details).length > 0 ? { details } : {}),
      };
    }
    return {
      code: "BAD_RESPONSE",
      message: `The server answered with HTTP ${status} and no GraphQL result`,
      issues: [],
      status,
    };
  }
  // fetch rejects with a TypeError when the server cannot be reached at all.
  if (thrown instanceof TypeError) {
    return { code: "NETWORK_ERROR", message: `Could not reach the server: ${thrown.message}`, issues: [] };
  }
  if (thrown instanceof Error && thrown.name === "AbortError") {
    return { code: "NETWORK_ERROR", message: "The request was aborted", issues: [] };
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // A body that is not JSON (a proxy's HTML error page, say) fails to parse.
  if (thrown instanceof SyntaxError) return { code: "BAD_RESPONSE", message, issues: [] };
  return { code: "NETWORK_ERROR", message, issues: [] };
}
