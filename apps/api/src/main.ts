// Start-up only: configuration, database, migrations, bootstrap, demo, server.
import { migrateDatabase, openDatabase } from "@laurel/db";
import { systemClock } from "./clock.js";
import { EnvError, loadEnv } from "./env.js";
import { jobContextOf, startScheduler } from "./jobs/scheduler.js";
import { createLogger } from "./logger.js";
import { bootstrap } from "./seed/bootstrap.js";
import { DEMO_ACCOUNTS, loadDemo } from "./seed/demo.js";

async function main() {
  const env = loadEnv();
  const logger = createLogger(env.logLevel, env.production);
  // The server's modules load and its schema is built while the database opens (PGlite compiles its
  // WebAssembly off the main thread and reads its files meanwhile): start-up takes the longer of the
  // two, not their sum.
  const app = Promise.all([import("./app.js"), import("./schema.js")]).then(async ([module, schema]) => {
    await schema.getSchema({ bench: env.bench });
    return module;
  });
  app.catch(() => {}); // awaited below: its error is reported there
  const database = await openDatabase(
    env.databaseUrl ? { url: env.databaseUrl, poolSize: env.databasePoolSize } : { dataDir: env.dataDir },
  );
  logger.info(`Database: ${database.driver} (${database.location})`);
  await migrateDatabase(database);
  await bootstrap(database.db, env, logger);
  if (env.demo && (await loadDemo(database.db, systemClock.now(), logger))) printDemoAccounts(logger);

  const { createServer } = await app;
  const server = await createServer({ env, database, logger });
  const url = await server.listen();
  // Every API process relays the outbox (rows claimed once across them all), posts webhooks and sends
  // people's emails (deliveries claimed once across them all, and across `dispatcher` commands).
  await server.services.outbox.relay.start();
  await server.services.outbox.dispatcher.start();
  server.services.outbox.mailer.start();
  logger.info(`API ready at ${url}/graphql`);
  if (env.playground) logger.info(`Playground at ${url}/graphiql`);

  const scheduler = env.scheduler.enabled
    ? startScheduler(jobContextOf(env, database, logger), env.scheduler.cron)
    : undefined;
  // Once at start too: a fresh demo's past year is Wrapped within seconds, not at the next tick.
  scheduler?.trigger();

  const stop = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    scheduler?.stop();
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

function printDemoAccounts(logger: ReturnType<typeof createLogger>) {
  const a = DEMO_ACCOUNTS;
  logger.info(
    [
      "Demo accounts:",
      `  Global Administrator     ${a.globalAdmin.email} / ${a.globalAdmin.password}`,
      `  Helping Hands admin      ${a.volunteerAdmin.email} / ${a.volunteerAdmin.password}`,
      `  Helping Hands coordinator ${a.coordinator.email} / ${a.coordinator.password}`,
      `  Peer mentors (code ${a.devCode}) ${a.peerMentors.join(", ")}`,
      `  Nova Arena admin         ${a.tradingAdmin.email} / ${a.tradingAdmin.password}`,
      `  Players (code ${a.devCode})      ${a.players.join(", ")}`,
    ].join("\n"),
  );
}

main().catch((error) => {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  console.error(error);
  process.exit(1);
});
