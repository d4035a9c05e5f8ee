import "reflect-metadata";
import { existsSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { DatabaseHandle } from "@laurel/db";
import { playgroundDist } from "@laurel/playground";
import cors from "cors";
import express, { type ErrorRequestHandler } from "express";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import helmet from "helmet";
import { type Clock, systemClock } from "./clock.js";
import { type AppServices, type Context, createContext } from "./context.js";
import { type Env, workspaceRoot } from "./env.js";
import { CLIENT_ERROR_CODES } from "./errors.js";
import { createLogger, type Logger, safeLogger, withoutStatementParameters } from "./logger.js";
import { SignInCodes } from "./modules/auth/sign-in-codes.js";
import { SignInThrottle } from "./modules/auth/throttle.js";
import { BackgroundJobs, runPendingBackfills } from "./scoring/backfill.js";
import { mailTransportOf, type MailTransport } from "./mail.js";
import { OutboxHub } from "./outbox/hub.js";
import { Dispatcher } from "./outbox/dispatcher.js";
import { Mailer } from "./outbox/mailer.js";
import { mountOptOut, PeopleLinks } from "./outbox/opt-out.js";
import { Relay } from "./outbox/relay.js";
import { WebhookSecrets } from "./outbox/secrets.js";
import { NatsOutbound } from "./transport/nats-out.js";
import { Scoring } from "./scoring/state.js";
import { visibleAchievements, visibleRules } from "./scoring/visibility.js";
import { TokenService } from "./modules/auth/token.js";
import { health } from "./modules/health/health.service.js";
import { mountUploads } from "./modules/upload/upload.routes.js";
import { apiKeyRateLimit } from "./modules/api-key/api-key.rate.js";
import { getSchema } from "./schema.js";
import { type LiveSockets, serveSubscriptions } from "./transport/websocket.js";

export type ServerOptions = {
  env: Env;
  database: DatabaseHandle;
  clock?: Clock;
  logger?: Logger;
};

export type LaurelServer = {
  app: express.Express;
  services: AppServices;
  /** GraphQL subscriptions over WebSocket on the same /graphql (transport/websocket.ts). */
  sockets: LiveSockets;
  /** Starts listening; port 0 picks a free one. Returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
};

/** Limits on what one operation may ask for; far above what the admin panel and player app need. */
const ARMOR = {
  maxDepth: { n: 12 },
  maxAliases: { n: 30 },
  maxDirectives: { n: 30 },
  // The parser enforces the token limit itself (parseOptions below): armor's copy answered HTTP 500.
  maxTokens: { enabled: false },
  costLimit: { maxCost: 20_000 },
  // Its "[Suggestion hidden]?" is a suggestion still: formatError removes the sentence altogether.
  blockFieldSuggestion: { enabled: false },
} as const;
/** The parser's token limit, for HTTP and WebSocket alike. */
const MAX_TOKENS = 5000;

export async function createServer(options: ServerOptions): Promise<LaurelServer> {
  const { env } = options;
  const services = appServices(options);
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());
  // Which proxies' X-Forwarded-For gives req.ip, the client address the sign-in throttle counts by.
  app.set("trust proxy", env.trustProxy);
  const httpServer = createHttpServer(app);
  const schema = await getSchema({ bench: env.bench });
  const protection = new ApolloArmor(ARMOR).protect();
  const sockets = serveSubscriptions({
    httpServer,
    schema,
    services,
    validationRules: protection.validationRules,
    maxTokens: MAX_TOKENS,
    formatError: (formatted, error) => formatError(formatted, error, env.production, services.logger),
  });
  const apollo = await startApollo(env, services.logger, { httpServer, schema, protection, sockets });
  mountRoutes(app, services, apollo);

  return {
    app,
    services,
    sockets,
    listen(port = env.port, host = env.host) {
      return listenOn(httpServer, port, host);
    },
    async close() {
      // Subscribers first (1001, going away: they reconnect elsewhere), then the relay that feeds them.
      await sockets.dispose();
      await services.outbox.relay.stop();
      await services.outbox.dispatcher.stop();
      await services.outbox.mailer.stop();
      await services.outbox.nats?.close();
      await services.jobs.idle();
      await services.signInCodes.idle();
      services.mail?.transporter.close();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** This server's services: its logger, clock, tokens, throttle, scoring state and background jobs. */
function appServices(options: ServerOptions): AppServices {
  const { env, database } = options;
  const logger = options.logger ? safeLogger(options.logger) : createLogger(env.logLevel, env.production);
  const clock = options.clock ?? systemClock;
  // The scoring layer's caches, replay memory and write queue: this server's own.
  const scoring = new Scoring(database.db);
  // One mail transport for the process: sign-in codes and people's emails.
  const mail = mailTransportOf(env.mail);
  const services: AppServices = {
    env,
    db: database.db,
    driver: database.driver,
    clock,
    logger,
    tokens: new TokenService(env.tokenSecret, env.tokenTtl),
    throttle: new SignInThrottle(database.db, env.signIn),
    mail,
    signInCodes: new SignInCodes(env, logger, mail),
    scoring,
    visibility: { achievements: visibleAchievements, rules: visibleRules },
    jobs: new BackgroundJobs(() => runPendingBackfills(database.db, scoring, clock, logger), logger),
    outbox: outboxOf(env, database, { logger, clock, mail }),
  };
  scoring.afterWrite = () => services.outbox.relay.kick();
  if (services.signInCodes.delivery === "unavailable") {
    logger.warn(
      "Sign-in codes are not configured: no mail transport (LAUREL_SMTP_URL, LAUREL_MAIL_FROM). Peer mentors and players cannot sign in until one is set; requestSignInCode answers NOT_CONFIGURED.",
    );
  }
  if (mail && !env.publicUrl) {
    logger.warn(
      "People's emails about awards and Wrapped are not sent: their links need LAUREL_PUBLIC_URL, the address people reach Laurel at.",
    );
  }
  return services;
}

/**
 * The outbox's relay, webhook dispatcher and people's mailer (main.ts starts them; a test that needs them
 * too), this process's hub of relayed events, the webhook secrets' sealing, the NATS publisher when
 * LAUREL_NATS_URL is set, and the links in emails. The relay wakes the dispatcher and the mailer when
 * it made deliveries.
 */
function outboxOf(
  env: Env,
  database: DatabaseHandle,
  deps: { logger: Logger; clock: Clock; mail: MailTransport | undefined },
): AppServices["outbox"] {
  const { logger, clock } = deps;
  const hub = new OutboxHub();
  const secrets = new WebhookSecrets(env.webhooks.key);
  const dispatcher = new Dispatcher({
    db: database.db,
    clock,
    logger,
    secrets,
    allowPrivate: env.webhooks.allowPrivate,
  });
  const links = new PeopleLinks(env.tokenSecret, env.publicUrl ?? "");
  const mailer = new Mailer({
    db: database.db,
    // Without a public address an email's links would lead nowhere: then none is sent.
    transport: env.publicUrl ? deps.mail : undefined,
    links,
    clock,
    logger,
  });
  const nats = env.nats.url ? new NatsOutbound({ url: env.nats.url, ...env.nats.out, logger }) : undefined;
  const relay = new Relay({
    db: database.db,
    listen: database.listen,
    hub,
    logger,
    clock,
    publish: nats && ((events) => nats.publish(events)),
    onDeliveries: () => {
      dispatcher.kick();
      mailer.kick();
    },
  });
  return { hub, relay, dispatcher, secrets, mailer, nats, links };
}

type Served = {
  httpServer: HttpServer;
  schema: GraphQLSchema;
  protection: ReturnType<ApolloArmor["protect"]>;
  sockets: LiveSockets;
};

/** The GraphQL server, started: the schema, its limits (ARMOR) and the plugins that shape answers. */
async function startApollo(env: Env, logger: Logger, served: Served): Promise<ApolloServer<Context>> {
  const { httpServer, schema, protection, sockets } = served;
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: env.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: !env.production,
    formatError: (formatted, error) => formatError(formatted, error, env.production, logger),
    validationRules: [...protection.validationRules],
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    plugins: [
      // graphql-armor is typed against the CommonJS build of Apollo; the plugins are the same at run time.
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      // Apollo's landing page loads from a CDN; the playground is served from /graphiql instead.
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The WebSocket server's drain, as Apollo's subscriptions documentation has it.
      { serverWillStart: async () => ({ drainServer: () => sockets.dispose() }) },
      warningsPlugin,
      subscriptionsOverWebSocket,
      responseLimitPlugin,
      retryAfterPlugin,
    ],
  });
  await apollo.start();
  return apollo;
}

/** The health check, GraphQL, the uploads and the built apps, then JSON for any error before them. */
function mountRoutes(app: express.Express, services: AppServices, apollo: ApolloServer<Context>): void {
  const { env, logger } = services;
  app.get("/health", async (_req, res) => {
    const result = await health(services);
    res.status(result.status === "ok" ? 200 : 503).json(result);
  });

  const perApiKey = apiKeyRateLimit(env.apiKeyRate);
  app.use(
    "/graphql",
    cors({ origin: env.corsOrigins.length > 0 ? env.corsOrigins : false, maxAge: 600 }),
    perApiKey,
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, { context: ({ req }) => createContext(services, req) }),
  );

  app.use(
    "/uploads",
    cors({ origin: env.corsOrigins.length > 0 ? env.corsOrigins : false, maxAge: 600 }),
    perApiKey,
  );
  mountUploads(app, services);
  mountOptOut(app, { db: services.db, links: services.outbox.links, logger });
  const pages = spaPolicy(env.production);
  if (env.playground) serveSpa(app, pages, "/graphiql", playgroundDist, "playground");
  serveSpa(app, pages, "/admin", join(workspaceRoot, "apps", "admin", "dist"), "admin panel");
  serveSpa(app, pages, "/player", join(workspaceRoot, "apps", "player", "dist"), "player app");
  app.use(jsonErrors(env.production, logger));
}

/** Listens on the port (0: a free one) and answers the base URL, localhost for a wildcard host. */
function listenOn(httpServer: HttpServer, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      const address = httpServer.address() as AddressInfo;
      const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

/**
 * Helmet's headers on every answer (nosniff, no referrer, HSTS, no framing, same-origin opener and
 * resources ...), with a policy for what is not a page (GraphQL, health, errors): it loads nothing.
 * The pages (serveSpa) and the uploads (upload.routes.ts) set their own policy over it.
 */
function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    xFrameOptions: { action: "deny" },
  });
}

/**
 * What a page of the playground, the admin panel or the player app may load: this server's own files
 * and nothing else (everything is bundled: no CDN), inline styles (the UI kits set them), images from
 * data and blob URLs (previews of uploads) and the schemes iconUrl allows (badge icons may be any https
 * URL, and http outside production: isSafeLink in lib/formats.ts); no plugins, no framing, forms and <base>
 * to this server only.
 */
const spaPolicy = (production: boolean) =>
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:", "https:", ...(production ? [] : ["http:"])],
      fontSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });

/**
 * A built single-page app under a path (the playground, the admin panel, the player app), with a
 * policy that lets its pages reach nothing but this server.
 */
function serveSpa(
  app: express.Express,
  policy: express.RequestHandler,
  path: string,
  dist: string,
  name: string,
): void {
  const index = join(dist, "index.html");
  app.use(path, policy);
  app.use(path, express.static(dist, { index: "index.html", fallthrough: true }));
  // Client-side routes fall back to the app's page.
  app.get(new RegExp(`^${path}(/.*)?$`), (_req, res) => {
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type("text").send(`The ${name} is not built: run \`pnpm build\`.`);
  });
}

/** Warnings (seed rules of severity `warning`) never block a write; they reach the caller here. */
const warningsPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (response.body.kind !== "single" || !contextValue.warnings?.length) return;
        response.body.singleResult.extensions = {
          ...response.body.singleResult.extensions,
          warnings: contextValue.warnings,
        };
      },
    };
  },
};

/** A subscription posted over HTTP: refused, with where it goes (Apollo would run it once, as a query). */
const subscriptionsOverWebSocket: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== "subscription") return;
        throw new GraphQLError(
          "Subscriptions go over WebSocket: connect to ws:// (or wss://) on this same /graphql with graphql-ws",
          { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
        );
      },
    };
  },
};

/** A throttled sign-in also says when to come back as HTTP does, in a `Retry-After` header. */
const retryAfterPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const seconds = response.body.singleResult.errors?.find(
          (e) => e.extensions?.code === "TOO_MANY_ATTEMPTS",
        )?.extensions?.retryAfterSeconds;
        if (typeof seconds === "number") response.http.headers.set("retry-after", String(seconds));
      },
    };
  },
};

/**
 * An operation refused for the size of its answer (lib/edge.ts) answers with that one error and no data:
 * not the partial data and the same error repeated for every field resolved after the limit.
 */
const responseLimitPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const result = response.body.singleResult;
        const tooLarge = result.errors?.find((e) => e.extensions?.code === "RESPONSE_TOO_LARGE");
        if (!tooLarge) return;
        const { path: _path, locations: _locations, ...error } = tooLarge;
        response.body.singleResult = { data: null, errors: [error] };
      },
    };
  },
};

/** graphql-js's "Did you mean ...?" after an unknown field, argument, type or enum value. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * A client error's message as people should read it: no suggestion of the schema's names (a stranger
 * learns the schema from them), and graphql-armor's refusals (depth, aliases, directives) not labelled
 * "Syntax Error", which they are not.
 */
export function plainMessage(message: string, code: unknown): string {
  const plain = message.replace(SUGGESTION, "").replace(/\s*\[Suggestion hidden\]\??/g, "");
  return code === "GRAPHQL_PARSE_FAILED" ? plain : plain.replace(/^Syntax Error: /, "");
}

/**
 * Errors with a client code keep their message; anything else is an internal error, logged here and,
 * in production, masked: no message, no stack trace.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  production: boolean,
  logger: Logger,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === "string" && CLIENT_ERROR_CODES.has(code)) {
    // A client error's stack says nothing useful, and can carry what it hides (a field suggestion).
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, message: plainMessage(formatted.message, code), extensions };
  }
  const cause = (error as { originalError?: { cause?: unknown } })?.originalError?.cause;
  logger.error("Internal error", {
    message: formatted.message,
    path: formatted.path,
    error: String(error),
    cause: cause ? String(cause) : undefined,
  });
  if (!production) return { ...formatted, message: withoutStatementParameters(formatted.message) };
  return {
    message: "Internal server error",
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/** Errors before GraphQL (malformed JSON, a body too large) as JSON, never an HTML page with a stack. */
function jsonErrors(production: boolean, logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status =
      typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error("Unhandled request error", { error: String(error) });
    const message =
      status === 500 && production ? "Internal server error" : String(error?.message ?? "Bad request");
    res.status(status).json({
      errors: [{ message, extensions: { code: status === 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST" } }],
    });
  };
}
