/**
 * `npm start`: everything needed to run Hearth from a fresh clone.
 *
 *   no DATABASE_URL  → embedded PostgreSQL in .data/pg (port HEARTH_PG_PORT, default 54329),
 *                      database `hearth` created if absent (as root, in /var/lib/hearth when the
 *                      postgres user cannot reach the checkout: see scripts/embedded-pg.ts)
 *   HEARTH_DATA_DIR  → the folder of local data instead of .data (auth secret, data key, embedded PostgreSQL)
 *   DATABASE_URL     → that database, as is
 *   then: migrations; the demo seed when the database is empty (unless HEARTH_DEMO=0);
 *   AUTH_SECRET from the environment or .data/auth-secret, HEARTH_DATA_KEY (which encrypts bank
 *   details) from the environment or .data/data-key; `next build` when the sources are
 *   newer than .next/BUILD_ID (HEARTH_BUILD=0: serve the existing build as it is);
 *   `next start` on PORT (default 3000), HEARTH_HOST (default localhost);
 *   the fleet simulator (scripts/simulate.ts) in the background with the demo, unless HEARTH_SIM=0:
 *   it fills the history first, then plays the fleet live. While it runs, it runs the engine's
 *   periodic tick on its simulated clock, so the web process does not (HEARTH_ENGINE_LOOP=0),
 *   unless HEARTH_ENGINE_LOOP is set.
 *
 * Every child runs in a process group of its own, so a Ctrl-C in the terminal (or a signal to our
 * process group) reaches this process only, and it stops them in order: the simulator, then the
 * Next.js server, then PostgreSQL, each with a bounded wait before SIGKILL. A third Ctrl-C kills
 * them all at once. Should this process be killed outright, the simulator and the web server
 * notice that their parent is gone and stop; PostgreSQL is stopped by the next run.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../server/auth/demo-accounts";
import { createDatabase, withDatabase } from "../server/db/admin";
import { closeDb, createDb } from "../server/db/client";
import { migrateDb } from "../server/db/migrate";
import { isSeeded, seedDemo } from "../server/services/seed";
import { displayPath, startEmbeddedPostgres } from "./embedded-pg";
import type { EmbeddedPostgres } from "./embedded-pg";
import { bin, buildNeeded, exitCode, ROOT, seconds, settlesWithin, spawnManaged } from "./proc";
import type { Managed } from "./proc";

process.chdir(ROOT); // migrations are read from ./drizzle; next runs here

const DATA_DIR = path.resolve(process.env.HEARTH_DATA_DIR || path.join(ROOT, ".data"));
const DATABASE_NAME = "hearth";
const startedAt = Date.now();

const say = (line: string) => console.log(`[hearth] ${line}`);
const fail = (line: string) => console.error(`[hearth] ${line}`);

// ---------------------------------------------------------------------------------------------
// What we started, and how to stop it

let postgresServer: EmbeddedPostgres | undefined;
/** PostgreSQL while it starts: a shutdown meanwhile waits for it, then stops it. */
let postgresStarting: Promise<EmbeddedPostgres> | undefined;
/** Stopped in this order, each kind before the next; PostgreSQL last. */
const STOP_ORDER = ["simulator", "web"] as const;
const children = new Map<Managed, (typeof STOP_ORDER)[number]>();
/** How long a child has, after SIGTERM, before SIGKILL. */
const STOP_GRACE_MS = 10_000;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const kind of STOP_ORDER) {
      const running = [...children].filter(([, k]) => k === kind).map(([child]) => child);
      const results = await Promise.all(running.map((child) => child.stop("SIGTERM", STOP_GRACE_MS)));
      if (results.some(({ killed }) => killed)) say(`the ${kind === "web" ? "web server" : kind} did not stop within ${seconds(STOP_GRACE_MS)}: killed`);
    }
    if (!postgresServer && postgresStarting) {
      const starting = postgresStarting.then((pg) => (postgresServer = pg)).catch(() => {});
      await settlesWithin(starting, 60_000);
    }
    if (postgresServer) {
      if (!postgresServer.hasExited()) say("stopping PostgreSQL…");
      await postgresServer.stop();
    }
    say("stopped");
    process.exit(code);
  }
  return new Promise<never>(() => {}); // already on the way out
}

// However we exit, nothing we started runs on.
process.on("exit", () => {
  for (const child of children.keys()) if (!child.hasExited()) child.kill();
  postgresServer?.abort();
});

/** Signals closer together than this are one: a Ctrl-C reaches us from the terminal and again from npm. */
const SAME_SIGNAL_MS = 1000;
let lastSignalAt = 0;
let signalsSeen = 0;
function onSignal(signal: NodeJS.Signals) {
  const now = Date.now();
  if (now - lastSignalAt < SAME_SIGNAL_MS) return;
  lastSignalAt = now;
  signalsSeen += 1;
  if (signalsSeen === 1) {
    console.log(""); // after the terminal's ^C
    say(`${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping…`);
    void shutdown(0);
  } else if (signalsSeen === 2) {
    say("still stopping; press Ctrl-C again to kill everything now");
  } else {
    fail("killing everything now");
    process.exit(1); // the exit handler kills what still runs
  }
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.on("SIGHUP", onSignal);

function fatal(err: unknown) {
  if (shuttingDown) return; // errors from connections cut by the shutdown
  fail(err instanceof Error ? err.message : String(err));
  if (process.env.HEARTH_DEBUG && err instanceof Error && err.stack) console.error(err.stack);
  void shutdown(1);
}
process.on("unhandledRejection", fatal);

// If whatever launched us (tsx, npm, a supervisor) dies without signalling us, stop too.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !shuttingDown) {
    say("parent process exited: stopping…");
    void shutdown(0);
  }
}, 1000).unref();

async function phase<T>(label: string, run: () => Promise<T>, done?: (result: T) => string): Promise<T> {
  const t0 = Date.now();
  say(`${label}…`);
  const result = await run();
  say(`${label}: ${done ? `${done(result)} ` : ""}(${seconds(Date.now() - t0)})`);
  return result;
}

// ---------------------------------------------------------------------------------------------

/** A secret from the environment, else from its file in the data folder, made there (32 random bytes) the first time. */
async function localSecret(variable: string, fileName: string, what: string, encoding: "base64" | "base64url"): Promise<string> {
  if (process.env[variable]) return process.env[variable];
  const file = path.join(DATA_DIR, fileName);
  if (existsSync(file)) {
    const secret = readFileSync(file, "utf8").trim();
    if (secret) return secret;
  }
  await fs.mkdir(DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString(encoding);
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
  say(`created ${what} in ${displayPath(file)}`);
  return secret;
}

const authSecret = () => localSecret("AUTH_SECRET", "auth-secret", "a session secret", "base64url");
/** Bank details are stored encrypted under it: losing it makes them unreadable, so it is kept like the database. */
const dataKey = () => localSecret("HEARTH_DATA_KEY", "data-key", "a data key (it encrypts bank details; back it up with the database)", "base64");

async function waitUntilServing(url: string, server: Managed) {
  while (!server.hasExited() && !shuttingDown) {
    try {
      await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

/**
 * Runs scripts/simulate.ts as a child. It prints its own progress ("[sim] history 34% …"). If it
 * crashes it is started again (it resumes after the fleet's last reading), a few times at most.
 */
function startSimulator(env: NodeJS.ProcessEnv) {
  let restarts = 0;
  const launch = () => {
    // node itself, not the tsx wrapper: the simulator then sees this process as its parent.
    const sim = spawnManaged(process.execPath, ["--import", "tsx", path.join("scripts", "simulate.ts")], { env });
    children.set(sim, "simulator");
    void sim.exited.then((exit) => {
      children.delete(sim);
      if (shuttingDown) return;
      const code = exitCode(exit);
      if (code === 3) {
        fail("the fleet simulator stopped: another one took its gateways over (see above)");
      } else if (restarts < 5) {
        restarts += 1;
        fail(`the fleet simulator exited (code ${code}); starting it again in 5 s (${restarts}/5)`);
        setTimeout(() => {
          if (!shuttingDown) launch();
        }, 5_000).unref();
      } else {
        fail(`the fleet simulator exited (code ${code}) again; the app runs on without it (HEARTH_DEBUG=1 shows why)`);
      }
    });
  };
  say("starting the fleet simulator (HEARTH_SIM=0 to run without it)…");
  launch();
}

async function main() {
  const demo = process.env.HEARTH_DEMO !== "0";
  const port = process.env.PORT || "3000";
  const host = process.env.HEARTH_HOST || "localhost";
  const secret = await authSecret();
  // The seed below encrypts the demo's bank details in this process; the app gets it in its env.
  process.env.HEARTH_DATA_KEY = await dataKey();

  // 1. Database server
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    say(`using DATABASE_URL (${new URL(databaseUrl).host}${new URL(databaseUrl).pathname})`);
  } else {
    const pgDir = path.join(DATA_DIR, "pg");
    postgresServer = await phase(
      "embedded PostgreSQL",
      () => (postgresStarting = startEmbeddedPostgres({ dataDir: pgDir, log: (line) => say(`  ${line}`) })),
      (pg) => `ready on 127.0.0.1:${pg.port}, data in ${displayPath(pg.dataDir)}`,
    );
    const server = postgresServer;
    void server.exited.then(() => {
      // Killed from outside (the shutdown stops it last): a moment for a signal of ours to arrive.
      setTimeout(() => {
        if (!shuttingDown) fatal(new Error("PostgreSQL exited unexpectedly"));
      }, 300);
    });
    await createDatabase(server.serverUrl, DATABASE_NAME);
    databaseUrl = withDatabase(server.serverUrl, DATABASE_NAME);
  }
  const url = databaseUrl;

  // 2. Migrations and demo data
  const db = createDb(url, { maxConnections: 2 });
  try {
    const applied = async () => {
      try {
        const rows = await db.$client`select count(*)::int as n from drizzle.__drizzle_migrations`;
        return Number(rows[0]?.n ?? 0);
      } catch {
        return 0; // no migrations table yet
      }
    };
    const before = await applied();
    await phase(
      "migrate",
      async () => {
        await migrateDb(db);
        return (await applied()) - before;
      },
      (count) => (count > 0 ? `applied ${count} migration(s)` : "up to date"),
    );
    if (demo) {
      if (await isSeeded(db)) say("seed: the database already has data; not seeding");
      else {
        await phase(
          "seed demo data",
          () => seedDemo(db),
          (summary) =>
            Object.entries(summary)
              .map(([key, count]) => `${count} ${key}`)
              .join(", "),
        );
      }
    }
  } finally {
    await closeDb(db);
  }

  // The simulator plays the demo fleet; a real fleet (HEARTH_DEMO=0) runs without it unless HEARTH_SIM=1.
  const simulate = process.env.HEARTH_SIM ? process.env.HEARTH_SIM !== "0" : demo;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: secret,
    HEARTH_DEMO: demo ? "1" : "0",
    HEARTH_ENGINE_LOOP: process.env.HEARTH_ENGINE_LOOP ?? (simulate ? "0" : "1"),
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
  };

  // 3. The fleet simulator, in the background: history fills while the app builds and starts.
  if (shuttingDown) return; // nothing more to start
  if (simulate) startSimulator(env);

  // 4. Production build when the sources changed
  const skipBuild = process.env.HEARTH_BUILD === "0";
  const why = skipBuild ? null : buildNeeded();
  if (skipBuild) {
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
      fail("HEARTH_BUILD=0, but there is no production build in .next: run npm start without it once.");
      return void shutdown(1);
    }
    say("build: not checked (HEARTH_BUILD=0); serving the existing build");
  } else if (why) {
    const t0 = Date.now();
    say(`build: ${why}; running next build…`);
    const build = spawnManaged(bin("next"), ["build"], { env });
    children.set(build, "web");
    const exit = await build.exited;
    children.delete(build);
    if (shuttingDown) return;
    if (exitCode(exit) !== 0) {
      fail(`next build failed (exit ${exitCode(exit)}); fix the errors above and run npm start again.`);
      return void shutdown(exitCode(exit) || 1);
    }
    say(`build: done (${seconds(Date.now() - t0)})`);
  } else {
    say("build: .next is up to date");
  }

  // 5. The server
  if (shuttingDown) return;
  const t0 = Date.now();
  say(`starting next on ${host}:${port}…`);
  // With a watch on this process preloaded: the server runs in a group of its own (see above).
  const parentWatch = pathToFileURL(path.join(ROOT, "scripts", "parent-watch.mjs")).href;
  const nextCli = realpathSync(bin("next"));
  const server = spawnManaged(process.execPath, ["--import", parentWatch, nextCli, "start", "-p", port, "-H", host], { env });
  children.set(server, "web");
  void server.exited.then((exit) => {
    setTimeout(() => {
      if (shuttingDown) return;
      fail(`the Next.js server exited (code ${exitCode(exit)})`);
      void shutdown(exitCode(exit));
    }, 300);
  });

  const probeHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : probeHost;
  if (!(await waitUntilServing(`http://${probeHost}:${port}/`, server))) return;

  const lines = [
    "",
    `Hearth is ready at http://${shownHost}:${port}  (server ${seconds(Date.now() - t0)}, total ${seconds(Date.now() - startedAt)})`,
  ];
  if (demo) {
    const width = Math.max(...DEMO_ACCOUNTS.map((account) => account.email.length));
    lines.push(`Demo accounts (password: ${DEMO_PASSWORD}):`);
    for (const account of DEMO_ACCOUNTS) lines.push(`  ${account.email.padEnd(width)}  ${account.description}`);
  }
  if (simulate) {
    lines.push(
      "The fleet simulator plays every gateway of the demo fleet: it fills their history in the background (see [sim] lines),",
      "then runs live. HEARTH_SIM=0 npm start runs without it.",
    );
  }
  lines.push("Press Ctrl-C to stop.", "");
  console.log(lines.join("\n"));
}

main().catch(fatal);
