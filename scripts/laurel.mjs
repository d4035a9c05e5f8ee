#!/usr/bin/env node
// `npm start` and `npm test` on a machine with nothing but Node 20: installs pnpm and the workspace,
// builds the front ends, then starts everything, or runs every suite and sums them up.
// Plain Node on purpose: it runs before any dependency is installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = pkg.packageManager.split("@")[1];
const results = join(root, ".test-results");

function log(message) {
  process.stdout.write(`\n\x1b[1m▶ ${message}\x1b[0m\n`);
}

/** The pinned pnpm: a global one of the same major, or the exact version through npx. */
function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim().split(".")[0] === pnpmVersion.split(".")[0]) return ["pnpm"];
  return ["npx", "--yes", `pnpm@${pnpmVersion}`];
}

function run(command, args, options = {}) {
  const child = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    ...options,
    env: { ...process.env, ...options.env },
  });
  return child.status ?? 1;
}

function pnpm(args, options) {
  const [command, ...prefix] = pnpmCommand();
  return run(command, [...prefix, ...args], options);
}

function pnpmOutput(args, env = {}) {
  const [command, ...prefix] = pnpmCommand();
  const child = spawnSync(command, [...prefix, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (child.status !== 0) throw new Error(`${args.join(" ")} failed:\n${child.stderr}${child.stdout}`);
  return child.stdout.trim().split("\n").at(-1);
}

function install() {
  log(`Installing the workspace (pnpm ${pnpmVersion})`);
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  if (pnpm(["install", ...frozen]) !== 0) process.exit(1);
  log("Building the front ends");
  if (pnpm(["build"]) !== 0) process.exit(1);
}

function start() {
  install();
  log("Starting Laurel on the embedded database with demo data");
  const [command, ...prefix] = pnpmCommand();
  const child = spawn(command, [...prefix, "--filter", "@laurel/api", "start"], {
    cwd: root,
    stdio: "inherit",
    env: {
      LAUREL_DEMO: "true",
      LAUREL_DEV_LOGIN_CODE: "12345",
      ...process.env,
    },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

/** Counts from a Vitest or Playwright JSON report. */
function countsOf(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (report.stats && "expected" in report.stats) {
    const { expected, unexpected, flaky, skipped } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped };
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

function test() {
  const postgresAdmin = process.env.LAUREL_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  install();
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const suites = [];
  const step = (name, fn) => {
    log(name);
    const status = fn();
    suites.push({ name, status, counts: countsOf(join(results, `${name}.json`)) });
  };
  const vitest = (name, project, env = {}) =>
    step(name, () =>
      pnpm(
        [
          "exec",
          "vitest",
          "run",
          "--project",
          project,
          "--reporter=default",
          "--reporter=json",
          `--outputFile=${join(results, `${name}.json`)}`,
        ],
        {
          env,
        },
      ),
    );

  step("typecheck", () => pnpm(["typecheck"]));
  step("lint", () => pnpm(["lint"]));
  vitest("unit", "unit");
  vitest("integration-pglite", "integration", { DATABASE_URL: "" });

  // The same integration suite on a real PostgreSQL, in a database of its own. A server that is not
  // there fails the run: a skipped suite would hide it.
  let scratch;
  try {
    scratch = pnpmOutput([
      "--filter",
      "@laurel/db",
      "exec",
      "tsx",
      "scripts/scratch-db.ts",
      "create",
      postgresAdmin,
    ]);
  } catch (error) {
    console.error(
      `\nPostgreSQL is not reachable at ${postgresAdmin} (set LAUREL_TEST_DATABASE_URL).\n${error.message}`,
    );
    suites.push({ name: "integration-postgres", status: 1, counts: undefined });
    suites.push({ name: "postgres-processes", status: 1, counts: undefined });
  }
  if (scratch) {
    vitest("integration-postgres", "integration", { DATABASE_URL: scratch });
    vitest("postgres-processes", "postgres", { DATABASE_URL: scratch });
    try {
      pnpmOutput([
        "--filter",
        "@laurel/db",
        "exec",
        "tsx",
        "scripts/scratch-db.ts",
        "drop",
        postgresAdmin,
        scratch,
      ]);
    } catch {
      // Leaving a scratch database behind is harmless.
    }
  }

  step("e2e", () =>
    pnpm(["--filter", "@laurel/e2e", "exec", "playwright", "test", "--reporter=list,json"], {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, "e2e.json") },
    }),
  );

  const total = { passed: 0, failed: 0, skipped: 0 };
  process.stdout.write("\nSuite                    passed  failed  skipped  exit\n");
  for (const suite of suites) {
    const c = suite.counts ?? { passed: 0, failed: 0, skipped: 0 };
    // A step that failed without a report (a crash, a type error) counts as one failure.
    const failed = c.failed + (suite.status !== 0 && c.failed === 0 ? 1 : 0);
    total.passed += c.passed;
    total.failed += failed;
    total.skipped += c.skipped;
    process.stdout.write(
      `${suite.name.padEnd(24)} ${String(c.passed).padStart(6)}  ${String(failed).padStart(6)}  ${String(c.skipped).padStart(7)}  ${suite.status}\n`,
    );
  }
  process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
  process.exit(total.failed > 0 ? 1 : 0);
}

const command = process.argv[2];
if (command === "start") start();
else if (command === "test") test();
else if (command === "bench") {
  install();
  // Arguments after `bench` go to the benchmark: `pnpm bench --quick`.
  process.exit(pnpm(["--filter", "@laurel/bench", "bench", ...process.argv.slice(3)]));
} else {
  console.error("Usage: node scripts/laurel.mjs start | test | bench");
  process.exit(2);
}
