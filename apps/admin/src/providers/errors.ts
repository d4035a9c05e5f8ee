import { HttpError } from "react-admin";

/** One broken rule, as the API reports it in `extensions.issues`. */
export type Issue = { field: string; rule: string; message: string; severity?: string };

type GraphQLErrorLike = { message: string; extensions?: { code?: string; issues?: Issue[] } };

/** The message shown beside a field: the rule's message and its name, as the specification names it. */
export function issueMessage(issue: Issue): string {
  return `${issue.message} (${issue.rule})`;
}

/**
 * Turns GraphQL errors into the HttpError react-admin understands: validation issues become
 * `body.errors` (shown on their fields), UNAUTHENTICATED a 401 (which signs out), FORBIDDEN a 403.
 */
export function toHttpError(errors: readonly GraphQLErrorLike[], fallbackStatus = 500): HttpError {
  const first = errors[0];
  const message = first?.message ?? "Request failed";
  const code = first?.extensions?.code;
  const issues = errors.flatMap((e) => e.extensions?.issues ?? []).filter((i) => i.severity !== "warning");
  if (code === "BAD_USER_INPUT" && issues.length > 0) {
    const fieldErrors: Record<string, unknown> = {};
    for (const issue of issues) fieldErrors[issue.field] ??= issueMessage(issue);
    fieldErrors.root = { serverError: issues.map(issueMessage).join("; ") };
    return new HttpError(message, 400, { errors: fieldErrors, issues });
  }
  const status =
    code === "UNAUTHENTICATED"
      ? 401
      : code === "FORBIDDEN"
        ? 403
        : code === "NOT_FOUND"
          ? 404
          : fallbackStatus;
  return new HttpError(message, status, { code });
}

/** Errors out of Apollo (ra-data-graphql wraps them in an HttpError whose body is the ApolloError). */
export function fromAdapterError(error: unknown): unknown {
  if (!(error instanceof HttpError)) return error;
  const body = error.body as
    | { graphQLErrors?: GraphQLErrorLike[]; networkError?: { statusCode?: number; result?: unknown } }
    | undefined;
  if (body?.graphQLErrors && body.graphQLErrors.length > 0) return toHttpError(body.graphQLErrors);
  const result = body?.networkError?.result as { errors?: GraphQLErrorLike[] } | undefined;
  if (result?.errors && result.errors.length > 0) {
    return toHttpError(result.errors, body?.networkError?.statusCode ?? error.status);
  }
  return error;
}
