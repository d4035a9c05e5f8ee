import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { createClient } from "graphql-ws";
import type { LaurelError } from "./errors.js";

/**
 * What a live subscription calls: `next` with each event; `connected` whenever its socket (re)connects
 * (events sent while it was away are not replayed: read what you show again then); `closed` when the
 * socket drops (it reconnects by itself); `error` once, when it ends for good (an expired or ended session:
 * `UNAUTHENTICATED`; a refused subscription: the API's code); `complete` when the server ends it.
 */
export type LiveObserver<T> = {
  next(event: T): void;
  error?(error: LaurelError): void;
  complete?(): void;
  connected?(): void;
  closed?(): void;
};

export type LiveHandler<T> = ((event: T) => void) | LiveObserver<T>;

export type LiveOptions = {
  /** The API's WebSocket URL (ws:// or wss://, path /graphql). */
  url: string;
  /** The credentials, read at each (re)connect: a sign-in in between applies to the next connection. */
  params: () => Record<string, string>;
  /** A WebSocket class where there is no global one (Node before 22: the `ws` package's). */
  webSocketImpl?: unknown;
};

/** Waits before the next reconnect: 1, 2, 4 ... seconds, at most 30, with jitter so clients spread out. */
async function backoff(retries: number): Promise<void> {
  const ms = Math.min(30_000, 1000 * 2 ** retries) * (0.75 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Why a subscription ended, as the app's other calls say it (LaurelError). */
export function toLiveError(thrown: unknown): LaurelError {
  if (Array.isArray(thrown)) {
    const first = (thrown[0] ?? {}) as { message?: string; extensions?: Record<string, unknown> };
    const { code, issues, ...details } = first.extensions ?? {};
    return {
      code: typeof code === "string" ? code : "INTERNAL_SERVER_ERROR",
      message: first.message ?? "The subscription failed",
      issues: Array.isArray(issues) ? (issues as LaurelError["issues"]) : [],
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  }
  const closed = thrown as { code?: unknown; reason?: unknown };
  if (typeof closed?.code === "number") {
    // 4401: the credentials did not hold (at connection or since); 4403: refused.
    const code =
      closed.code === 4401 ? "UNAUTHENTICATED" : closed.code === 4403 ? "FORBIDDEN" : "NETWORK_ERROR";
    const reason = String(closed.reason ?? "");
    return { code, message: reason || `The live connection closed (${closed.code})`, issues: [] };
  }
  return {
    code: "NETWORK_ERROR",
    message: thrown instanceof Error ? thrown.message : String(thrown),
    issues: [],
  };
}

/**
 * Subscribes to a generated subscription document on a connection of its own (graphql-ws), which
 * reconnects until the subscription is stopped or ends for good. Returns the function that stops it.
 */
export function subscribeLive<TData, TVariables extends Record<string, unknown>, TEvent>(
  options: LiveOptions,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  select: (data: TData) => TEvent,
  handler: LiveHandler<TEvent>,
): () => void {
  const observer: LiveObserver<TEvent> = typeof handler === "function" ? { next: handler } : handler;
  // Stopped by the app, or ended with an error: nothing more is told.
  let stopped = false;
  const fail = (error: LaurelError) => {
    if (stopped) return;
    stopped = true;
    observer.error?.(error);
  };
  const socket = createClient({
    url: options.url,
    webSocketImpl: options.webSocketImpl,
    connectionParams: options.params,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: backoff,
    on: {
      connected: () => observer.connected?.(),
      closed: () => {
        if (!stopped) observer.closed?.();
      },
    },
  });
  const unsubscribe = socket.subscribe<TData>(
    { query: print(document), variables },
    {
      next: (result) => {
        if (result.errors?.length) fail(toLiveError(result.errors));
        else if (result.data && !stopped) observer.next(select(result.data as TData));
      },
      error: (error) => fail(toLiveError(error)),
      complete: () => {
        if (!stopped) observer.complete?.();
      },
    },
  );
  return () => {
    stopped = true;
    unsubscribe();
    void socket.dispose();
  };
}

/** The WebSocket URL of an HTTP(S) GraphQL endpoint: same host and path, ws:// or wss://. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}
