import { GraphQLError } from "graphql";

/** One broken rule on one field: the seed's rule name (`key_format`) and a sentence for people. */
export type Issue = {
  field: string;
  rule: string;
  message: string;
  severity: "error" | "warning";
};

/**
 * The errors a client can act on. Each carries a stable `code`; anything else that reaches the
 * client is masked as an internal error.
 */
export class ValidationFailed extends GraphQLError {
  constructor(public readonly issues: Issue[]) {
    const first = issues[0];
    super(first ? `${first.field}: ${first.message} (${first.rule})` : "Validation failed", {
      extensions: { code: "BAD_USER_INPUT", issues, http: { status: 200 } },
    });
  }
}

export function invalid(field: string, rule: string, message: string): ValidationFailed {
  return new ValidationFailed([{ field, rule, message, severity: "error" }]);
}

export class Unauthenticated extends GraphQLError {
  constructor(message = "Sign in first") {
    super(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  }
}

export class Forbidden extends GraphQLError {
  constructor(message = "You do not have permission to do this", permission?: string) {
    super(message, { extensions: { code: "FORBIDDEN", ...(permission ? { permission } : {}) } });
  }
}

export class NotFound extends GraphQLError {
  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} not found` : `${what} not found`, { extensions: { code: "NOT_FOUND" } });
  }
}

export class Conflict extends GraphQLError {
  constructor(message: string, field?: string, rule?: string) {
    super(message, {
      extensions: { code: "CONFLICT", ...(field ? { field } : {}), ...(rule ? { rule } : {}) },
    });
  }
}

/** A feature the server's operator has not set up (sign-in codes without a mail transport). */
export class NotConfigured extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "NOT_CONFIGURED" } });
  }
}

export class TooManyAttempts extends GraphQLError {
  constructor(retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
      extensions: { code: "TOO_MANY_ATTEMPTS", retryAfterSeconds },
    });
  }
}

/**
 * An answer that would pass LAUREL_MAX_RESPONSE_BYTES: refused while it is being resolved, before it is
 * built. The client asks for fewer rows (perPage) or fewer fields.
 */
export class ResponseTooLarge extends GraphQLError {
  constructor(maxBytes: number) {
    super(`The response would be larger than ${maxBytes} bytes: ask for fewer rows or fields`, {
      extensions: { code: "RESPONSE_TOO_LARGE", maxBytes },
    });
  }
}

/** One API key sent more requests than its limit (LAUREL_API_KEY_RATE); HTTP 429 with Retry-After. */
export class RateLimited extends GraphQLError {
  constructor(retryAfterSeconds: number) {
    super(`Too many requests with this API key. Try again in ${retryAfterSeconds} seconds.`, {
      extensions: { code: "RATE_LIMITED", retryAfterSeconds },
    });
  }
}

/** Codes whose messages are written for clients; every other error is masked in production. */
export const CLIENT_ERROR_CODES = new Set([
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_ATTEMPTS",
  "RESPONSE_TOO_LARGE",
  "RATE_LIMITED",
  "NOT_CONFIGURED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);
