import { authHeaders } from "./token";
import { toHttpError } from "./errors";

/** The API's GraphQL endpoint, on the same origin as the panel (Vite proxies it in development). */
export const GRAPHQL_URI = "/graphql";

/**
 * One GraphQL operation over fetch with the bearer token: for the operations that are not
 * react-admin CRUD (sign-in, progress, backfill, grants, the dashboard).
 */
export async function graphqlRequest<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(GRAPHQL_URI, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors && body.errors.length > 0) throw toHttpError(body.errors, response.status);
  if (!response.ok || !body.data) throw toHttpError([{ message: response.statusText }], response.status);
  return body.data;
}
