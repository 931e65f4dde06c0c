/**
 * `npm test`: unit/integration tests (vitest) and end-to-end tests (next build, then `npm start`
 * started and stopped for real (scripts/start.test.ts), then playwright), the vitest and playwright
 * tests each against a fresh, migrated and seeded database.
 *
 *   npm test              both
 *   npm test -- --unit    vitest only, without scripts/start.test.ts (it needs the build)
 *   npm test -- --e2e     next build + the start test + playwright only
 *
 * Databases: DATABASE_URL names the server (its database part is ignored): fresh databases
 * hearth_test_<time>_<random> are created there and dropped at the end. Without DATABASE_URL an
 * embedded PostgreSQL runs in .data/pg-test (port HEARTH_TEST_PG_PORT, default 54330).
 */
import { spawnSync } from "node:child_process";
import fs, { existsSync } from "node:fs";
import path from "node:path";
import { createDatabase, dropDatabase, dropDatabasesWithPrefix, scratchDatabaseName, withDatabase } from "../server/db/admin";
import { closeDb, createDb } from "../server/db/client";
import { migrateDb } from "../server/db/migrate";
import { seedDemo } from "../server/services/seed";
import { DEMO_IBAN, E2E_IBAN, TEST_DATA_KEY } from "../server/test/keys";
import { startEmbeddedPostgres, TEST_PG_PORT } from "./embedded-pg";
import type { EmbeddedPostgres } from "./embedded-pg";
import { bin, exitCode, ROOT, seconds, spawnManaged } from "./proc";
import type { Managed } from "./proc";

process.chdir(ROOT);

const CHROMIUM = "/usr/bin/chromium";
const TEST_AUTH_SECRET = "hearth-test-auth-secret-not-for-production-0000";
const TEST_DB_PREFIX = "hearth_test_";
// The seed encrypts the demo's bank details here; vitest and the browser tests' server read them with it.
process.env.HEARTH_DATA_KEY = TEST_DATA_KEY;
const startedAt = Date.now();

const say = (line: string) => console.log(`[test] ${line}`);
const fail = (line: string) => console.error(`[test] ${line}`);

// ---------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--unit" && arg !== "--e2e");
if (unknown.length > 0) {
  fail(`unknown argument(s): ${unknown.join(" ")}. Use: npm test [-- --unit | --e2e]`);
  process.exit(2);
}
const onlyUnit = args.includes("--unit");
const onlyE2e = args.includes("--e2e");
const runUnit = onlyUnit || !onlyE2e;
const runE2e = onlyE2e || !onlyUnit;

// ---------------------------------------------------------------------------------------------
// What we started, and how to clean it up

let serverUrl: string | undefined;
let embedded: EmbeddedPostgres | undefined;
const createdDatabases: string[] = [];
const children = new Set<Managed>();
/** Database creation in flight; cleanup waits for it so nothing is created after the drop. */
let settingUp: Promise<unknown> = Promise.resolve();
let cleaningUp: Promise<void> | undefined;
let interrupted = false;

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    await Promise.all([...children].map((child) => child.stop("SIGINT", 15_000)));
    await settingUp.catch(() => {});
    if (serverUrl && createdDatabases.length > 0 && !embedded?.hasExited()) {
      const url = serverUrl;
      const results = await Promise.allSettled(createdDatabases.map((name) => dropDatabase(url, name)));
      const failed = createdDatabases.filter((_, i) => results[i]!.status === "rejected");
      if (failed.length > 0 && embedded) say(`${failed.join(", ")} will be dropped by the next run`);
      else if (failed.length > 0) fail(`could not drop ${failed.join(", ")}; drop them by hand`);
      else say(`dropped ${createdDatabases.join(", ")}`);
    }
    if (embedded) await embedded.stop();
  })();
  return cleaningUp;
}

let signalsSeen = 0;
function onSignal(signal: NodeJS.Signals) {
  signalsSeen += 1;
  interrupted = true;
  if (signalsSeen === 1) {
    console.log("");
    say(`${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping and cleaning up…`);
    void cleanup().then(() => {
      console.log(`\nnpm test: INTERRUPTED after ${seconds(Date.now() - startedAt)}`);
      process.exit(130);
    });
  } else if (signalsSeen === 3) {
    fail("forced exit; test databases or processes may be left behind");
    process.exit(130);
  }
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.on("SIGHUP", onSignal);
process.on("unhandledRejection", (err) => void finish(err));

// ---------------------------------------------------------------------------------------------

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (!isRoot()) {
    fail(`Chromium is missing (${CHROMIUM}); the end-to-end tests need it. Install it with:`);
    fail("  sudo apt-get install -y chromium");
    process.exit(1);
  }
  say(`Chromium is missing; installing it with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const command of [["update"], ["install", "-y", "chromium"]]) {
    const result = spawnSync("apt-get", command, { stdio: "inherit", env });
    if (result.status !== 0) {
      fail(`apt-get ${command.join(" ")} failed; install Chromium (${CHROMIUM}) and retry.`);
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    fail(`apt-get installed chromium but ${CHROMIUM} is still missing.`);
    process.exit(1);
  }
}

async function freshDatabase(server: string): Promise<string> {
  const name = scratchDatabaseName(TEST_DB_PREFIX);
  await createDatabase(server, name);
  createdDatabases.push(name);
  const url = withDatabase(server, name);
  const db = createDb(url, { maxConnections: 2 });
  try {
    await migrateDb(db);
    await seedDemo(db);
  } finally {
    await closeDb(db);
  }
  return url;
}

// Machine-readable reports of both runners, summed into one closing line.
const VITEST_REPORT = path.join(ROOT, ".data", "reports", "vitest.json");
const VITEST_START_REPORT = path.join(ROOT, ".data", "reports", "vitest-start.json");
/** The gateway of resident@hearth.test's flat (A-204): the browser tests find last month's refund statement there. */
const E2E_HISTORY_GATEWAY = "QBOX-PAR-A-204";
const PLAYWRIGHT_REPORT = path.join(ROOT, ".data", "reports", "playwright.json");

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function countTests() {
  type VitestReport = { numPassedTests?: number; numFailedTests?: number } | null;
  const vitest = [VITEST_REPORT, VITEST_START_REPORT].map((file) => readJson(file) as VitestReport);
  const playwright = readJson(PLAYWRIGHT_REPORT) as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | null;
  const sum = (key: "numPassedTests" | "numFailedTests") => vitest.reduce((total, report) => total + (report?.[key] ?? 0), 0);
  return {
    passed: sum("numPassedTests") + (playwright?.stats?.expected ?? 0),
    failed: sum("numFailedTests") + (playwright?.stats?.unexpected ?? 0) + (playwright?.stats?.flaky ?? 0),
  };
}

type Step = { name: string; status: "passed" | "failed" | "skipped"; ms: number; note?: string };
const steps: Step[] = [];

/** The IBANs of the browser tests (the demo's, and the one a spec types), whole, written compact or in groups. */
const WHOLE_IBAN = new RegExp([DEMO_IBAN, E2E_IBAN].map((iban) => iban.split("").join("[\\s-]?")).join("|"), "i");

/**
 * Passes a child's output through, and tells whether `forbidden` appeared in it (across chunk
 * boundaries too): bank details must never reach a log.
 */
function watchOutput(child: Managed, forbidden: RegExp) {
  let tail = "";
  let seen = false;
  const watch = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) =>
    stream?.on("data", (chunk: Buffer) => {
      out.write(chunk);
      const text = tail + chunk.toString("utf8");
      if (forbidden.test(text)) seen = true;
      tail = text.slice(-64);
    });
  watch(child.child.stdout, process.stdout);
  watch(child.child.stderr, process.stderr);
  return () => seen;
}

async function runStep(name: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv, forbidden?: RegExp) {
  const t0 = Date.now();
  say(`${name}: ${path.basename(command)} ${commandArgs.join(" ")}`);
  const child = spawnManaged(command, commandArgs, { env, stdio: forbidden ? ["ignore", "pipe", "pipe"] : undefined });
  const seenForbidden = forbidden ? watchOutput(child, forbidden) : () => false;
  children.add(child);
  const exit = await child.exited;
  children.delete(child);
  await child.stop(); // whatever it left in its process group
  if (interrupted) return false;
  const code = exitCode(exit);
  const step: Step = { name, status: code === 0 && !seenForbidden() ? "passed" : "failed", ms: Date.now() - t0 };
  if (code !== 0) step.note = `exit ${code}`;
  else if (seenForbidden()) step.note = "a whole IBAN appeared in the output (the server's included)";
  steps.push(step);
  say(`${name}: ${step.status}${step.note ? ` (${step.note})` : ""} in ${seconds(step.ms)}`);
  return code === 0;
}

async function main() {
  fs.rmSync(path.dirname(VITEST_REPORT), { recursive: true, force: true });
  if (runE2e) ensureChromium();

  // 1. Database server
  const t0 = Date.now();
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, "postgres");
    const shown = new URL(serverUrl);
    say(`database server: ${shown.hostname}:${shown.port || 5432} (from DATABASE_URL)`);
  } else {
    const port = Number(process.env.HEARTH_TEST_PG_PORT) || TEST_PG_PORT;
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(ROOT, ".data", "pg-test"),
      port,
      log: (line) => say(`  ${line}`),
    });
    serverUrl = embedded.serverUrl;
    say(`embedded PostgreSQL ready on 127.0.0.1:${port} (${seconds(Date.now() - t0)})`);
    // Nothing else lives in the embedded test server: drop what an interrupted run left behind.
    const dropped = await dropDatabasesWithPrefix(serverUrl, TEST_DB_PREFIX);
    if (dropped > 0) say(`dropped ${dropped} database(s) left by an earlier run`);
  }

  // 2. Fresh databases, migrated and seeded
  const t1 = Date.now();
  const server = serverUrl;
  const setup = Promise.all([
    runUnit ? freshDatabase(server) : undefined,
    runE2e ? freshDatabase(server) : undefined,
  ]);
  settingUp = setup;
  const [unitUrl, e2eUrl] = await setup;
  say(`databases ${createdDatabases.join(", ")} created, migrated and seeded (${seconds(Date.now() - t1)})`);
  if (interrupted) return;

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_SECRET: TEST_AUTH_SECRET,
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
  };

  // 3. vitest
  if (unitUrl) {
    const reports = ["--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_REPORT}`];
    await runStep("unit", bin("vitest"), ["run", "--project", "pure", "--project", "database", ...reports], {
      ...baseEnv,
      DATABASE_URL: unitUrl,
    });
  }

  // 4. next build, then playwright against it
  if (e2eUrl && !interrupted) {
    // The fleet simulator plays the demo fleet during the browser tests, 60 times faster than real
    // time, so that submitted work runs; it runs the engine's tick on its clock, not the web app.
    const e2eEnv = { ...baseEnv, DATABASE_URL: e2eUrl, HEARTH_DEMO: "1", HEARTH_ENGINE_LOOP: "0" };
    const built = await runStep("build", bin("next"), ["build"], e2eEnv);
    if (interrupted) return;
    if (built) {
      // `npm start` on the fresh build, with its own embedded PostgreSQL, stopped by signals.
      const reports = ["--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_START_REPORT}`];
      await runStep("start", bin("vitest"), ["run", "--project", "start", ...reports], baseEnv);
      if (interrupted) return;
    }
    if (built) {
      // Last month's refund statement of resident@'s home: its gateway's history alone, from the
      // day before last month began (a few seconds), that month closed as the engine would.
      await runStep(
        "history",
        bin("tsx"),
        [path.join("scripts", "simulate.ts"), "--history-days", "last-month", "--history-gateways", E2E_HISTORY_GATEWAY, "--no-live"],
        e2eEnv,
      );
      if (interrupted) return;
      const simulator = spawnManaged(bin("tsx"), [path.join("scripts", "simulate.ts"), "--speed", "60", "--history-days", "0"], {
        env: e2eEnv,
      });
      children.add(simulator);
      // The web server's output comes through playwright (webServer.stdout "pipe"): no IBAN may appear in it whole.
      await runStep("e2e", bin("playwright"), ["test"], { ...e2eEnv, PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_REPORT }, WHOLE_IBAN);
      children.delete(simulator);
      await simulator.stop();
    } else {
      steps.push({ name: "start", status: "skipped", ms: 0, note: "build failed" });
      steps.push({ name: "history", status: "skipped", ms: 0, note: "build failed" });
      steps.push({ name: "e2e", status: "skipped", ms: 0, note: "build failed" });
    }
  }
}

let finishing = false;
async function finish(error?: unknown) {
  if (interrupted || finishing) return; // the signal handler reports and exits
  finishing = true;
  if (error) {
    fail(error instanceof Error ? error.message : String(error));
    steps.push({ name: "setup", status: "failed", ms: 0 });
  }
  await cleanup();
  if (interrupted) return;
  const ok = steps.length > 0 && steps.every((step) => step.status === "passed");
  const details = steps
    .map((step) => `${step.name} ${step.status}${step.ms ? ` ${seconds(step.ms)}` : ""}${step.note ? ` (${step.note})` : ""}`)
    .join(", ");
  const counts = countTests();
  console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed`);
  console.log(`npm test: ${ok ? "PASSED" : "FAILED"} in ${seconds(Date.now() - startedAt)} — ${details}`);
  process.exit(ok ? 0 : 1);
}

main().then(
  () => finish(),
  (err) => finish(err),
);
