import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

/**
 * A graphql-ws client of a test API, over a real WebSocket, and its subscriptions as queues the test
 * reads from. Nothing here waits for a fixed time: each wait ends with what it waits for, or fails
 * after `within` ms.
 */

export type Auth = string | { apiKey: string } | null;

export type Closed = { code: number; reason: string };

/** What a socket's connection parameters carry for `auth`: a bearer token, or an API key. */
export function paramsOf(auth: Auth): Record<string, string> {
  if (auth === null) return {};
  return typeof auth === "string" ? { authorization: `Bearer ${auth}` } : { "x-api-key": auth.apiKey };
}

export type Live = {
  client: Client;
  /** Resolves when the server acknowledged the connection (fails after 5 s). */
  connected: Promise<void>;
  /** Resolves when the socket closed, with the server's code and reason (fails after 5 s). */
  closed: Promise<Closed>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Feed<T>;
  dispose(): Promise<void>;
};

export type Feed<T> = {
  /** Every message so far: data, or errors. */
  received: { data?: T; errors?: { message: string; extensions?: Record<string, any> }[] }[];
  /** The next message's data (fails the test on errors). */
  next(within?: number): Promise<T>;
  /** Waits for the first message that `test` accepts, after those already read. */
  until(test: (data: T) => boolean, within?: number): Promise<T>;
  /** The errors the subscription ended with (an error message, or a result with errors). */
  failed(within?: number): Promise<{ message: string; extensions?: Record<string, any> }[]>;
  /** Resolves when the subscription ended (completed, failed or its socket closed). */
  ended: Promise<void>;
  stop(): void;
};

/** `promise`, or a failure after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Connects at once (not lazily), with no retries: a refusal shows as `closed`. */
export function connectLive(baseUrl: string, auth: Auth): Live {
  const url = `${baseUrl.replace(/^http/, "ws")}/graphql`;
  let acknowledged!: () => void;
  let onClosed!: (closed: Closed) => void;
  const connected = new Promise<void>((resolve) => (acknowledged = resolve));
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: paramsOf(auth),
    on: {
      connected: () => acknowledged(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
    // A refused connection is an expected outcome here, not an unhandled error.
    onNonLazyError: () => {},
  });
  return {
    client,
    get connected() {
      return within(connected, 5_000, "connection acknowledgement");
    },
    get closed() {
      return within(closed, 5_000, "socket close");
    },
    subscribe: (query, variables) => feed(client, query, variables),
    dispose: async () => {
      await client.dispose();
    },
  };
}

function feed<T>(client: Client, query: string, variables?: Record<string, unknown>): Feed<T> {
  const received: Feed<T>["received"] = [];
  let read = 0;
  let wake: (() => void) | undefined;
  let done = false;
  let endError: { message: string; extensions?: Record<string, any> }[] | undefined;
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => (ended = resolve));
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        received.push(message as Feed<T>["received"][number]);
        notify();
      },
      error: (error) => {
        endError = Array.isArray(error)
          ? error
          : [{ message: (error as { reason?: string; message?: string }).reason ?? String(error) }];
        done = true;
        ended();
        notify();
      },
      complete: () => {
        done = true;
        ended();
        notify();
      },
    },
  );
  const take = async (test: (data: T) => boolean): Promise<T> => {
    for (;;) {
      while (read < received.length) {
        const message = received[read++]!;
        if (message.errors) throw new Error(`Subscription errors: ${JSON.stringify(message.errors)}`);
        if (test(message.data as T)) return message.data as T;
      }
      if (done) throw new Error(`The subscription ended: ${JSON.stringify(endError ?? "completed")}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return {
    received,
    next: (ms = 5_000) =>
      within(
        take(() => true),
        ms,
        "next event",
      ),
    until: (test, ms = 5_000) => within(take(test), ms, "awaited event"),
    failed: async (ms = 5_000) => {
      await within(endedPromise, ms, "subscription failure");
      const withErrors = received.find((m) => m.errors);
      if (endError) return endError;
      if (withErrors) return withErrors.errors!;
      throw new Error("The subscription ended without an error");
    },
    ended: endedPromise,
    stop,
  };
}
