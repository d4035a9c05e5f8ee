import type { Server as HttpServer } from "node:http";
import {
  createSourceEventStream,
  type DocumentNode,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { CloseCode, type Context as SocketContext } from "graphql-ws";
import { type Extra, useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import {
  type AppServices,
  type Context,
  contextOf,
  type Credentials,
  credentialsFrom,
  resolveSession,
  type Session,
} from "../context.js";
import { Unauthenticated } from "../errors.js";
import { mapStream } from "../lib/stream.js";
import type { Viewer } from "../lib/viewer.js";

/**
 * GraphQL subscriptions over WebSocket (the graphql-transport-ws protocol of `graphql-ws`), on the HTTP
 * server's `/graphql`, as Apollo Server's documentation sets them up beside `expressMiddleware`.
 *
 * The same token rules as HTTP (context.ts `resolveSession`): the credentials in the connection's
 * parameters (`authorization: "Bearer <token>"`, or `x-api-key`) are checked at `connection_init`, and again
 * when they expire and every minute (a sign-out everywhere, a deactivation, a revoked key): a connection
 * whose credentials no longer hold is closed with 4401 and the reason; one whose permissions changed, with
 * 4403 (clients reconnect, and subscribe again as what they now are). Only subscriptions go over it.
 */
export type LiveSockets = {
  /** Open, accepted connections. */
  readonly size: number;
  /** Checks every connection's credentials now (tests move the clock, then call it). */
  recheck(): Promise<void>;
  /** Closes every connection (1001, going away: clients reconnect, elsewhere) and accepts no more. */
  dispose(): Promise<void>;
};

export type LiveSocketsOptions = {
  httpServer: HttpServer;
  schema: GraphQLSchema;
  services: AppServices;
  /** The HTTP endpoint's limits (graphql-armor's rules) and parser token limit. */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  /** The HTTP endpoint's error formatting: client errors as written, anything else masked in production. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
};

/** Where, and the largest message taken: express.json's limit on the same path. */
const PATH = "/graphql";
const MAX_PAYLOAD = 1024 * 1024;
/** Subscriptions at once on one connection: far above what an app needs (the player app has one). */
const MAX_SUBSCRIPTIONS = 20;
/** How often a connection's credentials are checked again, besides at their expiry. */
const RECHECK_MS = 60_000;
/** How long closing clients have to answer the close frame before their sockets are cut. */
const CLOSE_GRACE_MS = 5_000;
/** setTimeout's longest delay (a longer one fires at once). */
const MAX_DELAY = 2 ** 31 - 1;
const SIGN_IN_FIRST =
  'Sign in first: connect with { "authorization": "Bearer <token>" } or { "x-api-key": "<key>" }';

type Connection = {
  socket: WebSocket;
  address: string;
  credentials: Credentials;
  session: Session;
  timer?: NodeJS.Timeout;
};

/** The connection parameters as headers: any case of `Authorization` and `X-Api-Key`, string values only. */
function credentialsOfParams(params: Readonly<Record<string, unknown>> | undefined): Credentials {
  const lower = new Map(
    Object.entries(params ?? {})
      .filter((e): e is [string, string] => typeof e[1] === "string")
      .map(([k, v]) => [k.toLowerCase(), v]),
  );
  return credentialsFrom((name) => lower.get(name));
}

/** What a viewer may do: a change closes the connection, so its subscriptions are made again. */
const fingerprint = (v: Viewer) =>
  JSON.stringify([
    v.kind,
    v.kind === "user" ? [v.userId, v.roleId, v.isParticipant] : v.apiKeyId,
    v.organizationId,
    [...v.permissions].sort(),
  ]);

const clientError = (message: string, code: string, from?: GraphQLError) =>
  new GraphQLError(message, {
    nodes: from?.nodes,
    source: from?.source,
    positions: from?.positions,
    extensions: { code },
  });

export function serveSubscriptions(options: LiveSocketsOptions): LiveSockets {
  return new SubscriptionServer(options);
}

type Payload = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };

class SubscriptionServer implements LiveSockets {
  private readonly connections = new Map<WebSocket, Connection>();
  private readonly rules: readonly ValidationRule[];
  private readonly server: { dispose(): Promise<void> | void };
  private readonly wsServer: WebSocketServer;
  private disposed: Promise<void> | undefined;

  constructor(private readonly options: LiveSocketsOptions) {
    this.rules = [...specifiedRules, ...options.validationRules];
    const wsServer = new WebSocketServer({ server: options.httpServer, path: PATH, maxPayload: MAX_PAYLOAD });
    this.wsServer = wsServer;
    const format = (error: GraphQLError) => options.formatError(error.toJSON(), error);
    this.server = useServer<Record<string, unknown>, Record<PropertyKey, never>>(
      {
        schema: options.schema,
        onConnect: (ctx) => this.connect(ctx.extra, ctx.connectionParams),
        onSubscribe: (ctx, _id, payload) => this.operationOf(ctx, payload),
        subscribe: (args) => this.subscribeFresh(args),
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: result.errors.map(format) } : undefined,
        onError: (_ctx, _id, _payload, errors) => errors.map(format),
        onClose: (ctx) => this.forget(ctx.extra.socket),
        isProd: options.services.env.production,
      },
      wsServer,
    );
  }

  get size() {
    return this.connections.size;
  }

  async recheck(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => this.recheckOne(c)));
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      for (const connection of this.connections.values()) clearTimeout(connection.timer);
      // graphql-ws sends every client a close frame and waits for them all: a client that never answers
      // would hold a shutdown for ws's own 30 seconds.
      const cut = setTimeout(() => {
        for (const client of this.wsServer.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await this.server.dispose();
      } finally {
        clearTimeout(cut);
      }
    })();
    return this.disposed;
  }

  private async authenticate(credentials: Credentials, address: string): Promise<Session> {
    const { services } = this.options;
    const ctx = contextOf(services, null, address);
    const session = await resolveSession(services, credentials, ctx.now, ctx.loaders);
    if (!session) throw new Unauthenticated(SIGN_IN_FIRST);
    return session;
  }

  /** `connection_init`: accepted with credentials that hold, else closed with 4401 and the reason. */
  private async connect(
    extra: Extra,
    params: Readonly<Record<string, unknown>> | undefined,
  ): Promise<boolean> {
    const { socket, request } = extra;
    const address = request.socket.remoteAddress ?? "unknown";
    const credentials = credentialsOfParams(params);
    try {
      const connection = {
        socket,
        address,
        credentials,
        session: await this.authenticate(credentials, address),
      };
      this.connections.set(socket, connection);
      this.schedule(connection);
      return true;
    } catch (error) {
      if (!(error instanceof Unauthenticated)) throw error;
      this.options.services.logger.debug("A live connection was refused", { reason: error.message });
      // graphql-ws then closes with 4403 for the `false`; the socket is closing already, with this.
      socket.close(CloseCode.Unauthorized, error.message);
      return false;
    }
  }

  private forget(socket: WebSocket) {
    clearTimeout(this.connections.get(socket)?.timer);
    this.connections.delete(socket);
  }

  private close(connection: Connection, code: number, reason: string) {
    this.forget(connection.socket);
    // A close reason is at most 123 bytes.
    connection.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  /** At the credentials' expiry, or in a minute, whichever is first. */
  private schedule(connection: Connection) {
    clearTimeout(connection.timer);
    const untilExpiry = connection.session.expiresAt
      ? connection.session.expiresAt.getTime() - this.options.services.clock.now().getTime()
      : Infinity;
    const delay = Math.min(Math.max(0, untilExpiry), RECHECK_MS, MAX_DELAY);
    connection.timer = setTimeout(() => void this.recheckOne(connection), delay);
    connection.timer.unref();
  }

  private async recheckOne(connection: Connection): Promise<void> {
    if (!this.connections.has(connection.socket)) return;
    try {
      const session = await this.authenticate(connection.credentials, connection.address);
      if (fingerprint(session.viewer) !== fingerprint(connection.session.viewer))
        return this.close(connection, CloseCode.Forbidden, "Your role or permissions changed: connect again");
      connection.session = session;
      this.schedule(connection);
    } catch (error) {
      if (error instanceof Unauthenticated)
        return this.close(connection, CloseCode.Unauthorized, error.message);
      // The database is away (no events flow either): checked again at the next turn.
      this.options.services.logger.error("A live connection's credentials could not be checked", {
        error: String(error),
      });
      this.schedule(connection);
    }
  }

  /** The subscription a `subscribe` message asks for, with its context; or why not (errors to the client). */
  private operationOf(
    ctx: SocketContext<Record<string, unknown>, Extra>,
    payload: Payload,
  ): ExecutionArgs | readonly GraphQLError[] {
    const connection = this.connections.get(ctx.extra.socket);
    if (!connection) return [new Unauthenticated(SIGN_IN_FIRST)];
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS)
      return [
        clientError(`At most ${MAX_SUBSCRIPTIONS} subscriptions at once on one connection`, "BAD_REQUEST"),
      ];
    const { schema } = this.options;
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: this.options.maxTokens });
    } catch (error) {
      const parsed = error instanceof GraphQLError ? error : undefined;
      return [clientError(parsed?.message ?? String(error), "GRAPHQL_PARSE_FAILED", parsed)];
    }
    const invalid = validate(schema, document, this.rules);
    if (invalid.length > 0) return invalid.map((e) => clientError(e.message, "GRAPHQL_VALIDATION_FAILED", e));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [clientError("Name the operation to run (operationName)", "BAD_REQUEST")];
    if (operation.operation !== "subscription")
      return [
        clientError(
          `Only subscriptions go over WebSocket: send the ${operation.operation} to POST ${PATH}`,
          "BAD_REQUEST",
        ),
      ];
    const { viewer } = connection.session;
    const contextValue = contextOf(this.options.services, viewer, connection.address);
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
  }

  /**
   * graphql-js's `subscribe`, with a context of its own for each event: a subscription lives for hours,
   * and a request's context (its loaders' caches, its `now`, its response budget) is made for one answer.
   */
  private async subscribeFresh(args: ExecutionArgs) {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
    const { viewer, address } = args.contextValue as Context;
    const { services } = this.options;
    return mapStream(stream[Symbol.asyncIterator](), (event) =>
      execute({ ...args, rootValue: event, contextValue: contextOf(services, viewer, address) }),
    );
  }
}
