// Command-line tasks: `migrate` applies the migrations, `emit-schema` writes schema.graphql,
// `job` runs the scheduled job once, with a progress bar, `worker` takes events from NATS JetStream
// until SIGTERM or SIGINT, `dispatcher` posts webhook deliveries until SIGTERM or SIGINT.
import { migrateDatabase, openDatabase } from "@laurel/db";
import { MultiBar, Presets } from "cli-progress";
import { systemClock } from "./clock.js";
import { loadEnv } from "./env.js";
import { jobContextOf, runJobOnce } from "./jobs/scheduler.js";
import { createLogger } from "./logger.js";
import { Dispatcher } from "./outbox/dispatcher.js";
import { WebhookSecrets } from "./outbox/secrets.js";
import { emitSchema, schemaFile } from "./schema.js";
import { startNatsWorker } from "./transport/nats.js";

const [command] = process.argv.slice(2);

switch (command) {
  case "migrate": {
    const env = loadEnv();
    const database = await openDatabase(
      env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir },
    );
    await migrateDatabase(database);
    console.log(`Migrations applied to ${database.driver} (${database.location})`);
    await database.close();
    break;
  }
  case "job": {
    const env = loadEnv();
    const logger = createLogger(env.logLevel === "info" ? "warn" : env.logLevel, env.production);
    const database = await openDatabase(
      env.databaseUrl ? { url: env.databaseUrl } : { dataDir: env.dataDir },
    );
    await migrateDatabase(database);
    const bars = new MultiBar(
      {
        format: " {task} |{bar}| {value} done",
        hideCursor: true,
        clearOnComplete: false,
        noTTYOutput: !process.stdout.isTTY,
      },
      Presets.shades_classic,
    );
    const bar = new Map<string, ReturnType<MultiBar["create"]>>();
    const report = await runJobOnce(jobContextOf(env, database, logger), (task, done) => {
      if (!bar.has(task)) bar.set(task, bars.create(0, 0, { task: task.padEnd(10) }));
      const b = bar.get(task)!;
      b.setTotal(b.getTotal() + done);
      b.increment(done);
    });
    bars.stop();
    console.log(JSON.stringify(report));
    await database.close();
    break;
  }
  case "worker": {
    const env = loadEnv();
    if (!env.nats.url) {
      console.error(
        "The worker takes events from NATS JetStream: set LAUREL_NATS_URL, e.g. nats://127.0.0.1:4222",
      );
      process.exit(78); // EX_CONFIG
    }
    const logger = createLogger(env.logLevel, env.production);
    const database = await openDatabase(
      env.databaseUrl ? { url: env.databaseUrl, poolSize: env.databasePoolSize } : { dataDir: env.dataDir },
    );
    await migrateDatabase(database);
    const worker = await startNatsWorker({
      db: database.db,
      url: env.nats.url,
      stream: env.nats.stream,
      consumer: env.nats.consumer,
      subjectPrefix: env.nats.subjectPrefix,
      concurrency: env.nats.concurrency,
      logger,
      clock: systemClock,
    });
    logger.info(
      `Worker: ${env.nats.subjectPrefix}.<organization id> from stream ${env.nats.stream}, consumer ${env.nats.consumer}, ${env.nats.concurrency} at a time`,
    );
    // A second signal while stopping gets the default handler: it ends the process at once.
    const signal = await new Promise<string>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    logger.info(`${signal}: finishing the events in hand`);
    await worker.stop();
    await database.close();
    break;
  }
  case "dispatcher": {
    const env = loadEnv();
    const logger = createLogger(env.logLevel, env.production);
    const database = await openDatabase(
      env.databaseUrl ? { url: env.databaseUrl, poolSize: env.databasePoolSize } : { dataDir: env.dataDir },
    );
    await migrateDatabase(database);
    // Woken by every relay's NOTIFY (any API process), and polling besides.
    const dispatcher = new Dispatcher({
      db: database.db,
      clock: systemClock,
      logger,
      secrets: new WebhookSecrets(env.webhooks.key),
      allowPrivate: env.webhooks.allowPrivate,
      listen: database.listen,
    });
    await dispatcher.start();
    logger.info(`Dispatcher: posting webhook deliveries from ${database.driver} (${database.location})`);
    const signal = await new Promise<string>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    logger.info(`${signal}: finishing the deliveries in hand`);
    await dispatcher.stop();
    await database.close();
    break;
  }
  case "emit-schema":
    await emitSchema();
    console.log(`Wrote ${schemaFile.pathname}`);
    break;
  default:
    console.error("Usage: cli.ts migrate | emit-schema | job | worker | dispatcher");
    process.exit(2);
}
