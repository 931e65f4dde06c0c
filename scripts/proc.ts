/** Small process helpers shared by scripts/start.ts and scripts/test.ts. */
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess, StdioOptions } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (scripts/..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

/** A TCP port free on 127.0.0.1 right now, for a server a test is about to start. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** True if `promise` settles within `ms`; the timer never keeps the process alive. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/** Parent of every process, from /proc (fast, no child process) or else from `ps`. */
function parentTable(): Array<[pid: number, ppid: number]> {
  if (existsSync("/proc/self/stat")) {
    const rows: Array<[number, number]> = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        rows.push([Number(name), ppid]);
      } catch {
        // gone meanwhile
      }
    }
    return rows;
  }
  try {
    return execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" })
      .split("\n")
      .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
      .filter(([p, pp]) => p > 0 && Number.isInteger(pp));
  } catch {
    return [];
  }
}

/** Every process below `pid` (children may have moved to process groups of their own). */
export function descendants(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const [p, pp] of parentTable()) childrenOf.set(pp, [...(childrenOf.get(pp) ?? []), p]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of childrenOf.get(queue.shift()!) ?? []) {
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type Managed = {
  child: ChildProcess;
  exited: Promise<Exit>;
  hasExited(): boolean;
  /**
   * Signals the child's process group and descendants, then SIGKILLs them after `graceMs`.
   * Resolves to whether the child had to be killed. Idempotent.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ killed: boolean }>;
  /** SIGKILLs the child's process group and descendants now, without waiting: for a process that is exiting. */
  kill(): void;
};

/**
 * Spawns a command in its own process group (so a terminal Ctrl-C reaches only us, and we
 * decide the order of shutdown), with stdout/stderr shared with ours.
 */
export function spawnManaged(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {},
): Managed {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: options.stdio ?? ["ignore", "inherit", "inherit"],
    detached: true,
  });
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve((exit = { code, signal })));
    child.once("error", (err) => {
      console.error(`could not run ${command}: ${err.message}`);
      resolve((exit = { code: 127, signal: null }));
    });
  });
  const tryKill = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
  /** The child's process group, and its descendants that moved to groups of their own. */
  const known = new Set<number>();
  const killGroup = (signal: NodeJS.Signals) => {
    if (!child.pid) return;
    for (const pid of descendants(child.pid)) known.add(pid);
    tryKill(-child.pid, signal);
    for (const pid of known) tryKill(pid, signal);
  };
  let stopping: Promise<{ killed: boolean }> | undefined;
  return {
    child,
    exited,
    hasExited: () => exit !== undefined,
    stop(signal = "SIGTERM", graceMs = 10_000) {
      stopping ??= (async () => {
        // Signal the group even when the leader has exited: workers it left behind go too.
        killGroup(signal);
        const killed = !(await settlesWithin(exited, graceMs));
        if (killed) killGroup("SIGKILL");
        await exited;
        killGroup("SIGKILL");
        return { killed };
      })();
      return stopping;
    },
    kill: () => killGroup("SIGKILL"),
  };
}

/** Exit code of a finished child, with 128+n for a signal. */
export function exitCode(exit: Exit) {
  if (exit.code !== null) return exit.code;
  const signals: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return 128 + (exit.signal ? (signals[exit.signal] ?? 0) : 0);
}

// ---------------------------------------------------------------------------------------------
// Is the production build out of date?

/** Inputs of `next build`: folders walked recursively, and single files. */
const BUILD_INPUT_DIRS = ["app", "components", "server", "public", "drizzle"];
const BUILD_INPUT_FILES = [
  "package.json",
  "next.config.ts",
  "next.config.mjs",
  "next.config.js",
  "proxy.ts",
  "postcss.config.mjs",
  "tsconfig.json",
];
/** Tests are not part of the build. */
const NOT_BUILD_INPUT = /\.test\.tsx?$/;

function newestFile(dir: string, best: { file: string; mtimeMs: number }) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newestFile(full, best);
    else if (!NOT_BUILD_INPUT.test(entry.name)) {
      const mtimeMs = statSync(full).mtimeMs;
      if (mtimeMs > best.mtimeMs) Object.assign(best, { file: full, mtimeMs });
    }
  }
}

/** Why a build is needed, or null when .next/BUILD_ID is newer than every input. */
export function buildNeeded(): string | null {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const builtAt = statSync(buildId).mtimeMs;
  const newest = { file: "", mtimeMs: 0 };
  for (const dir of BUILD_INPUT_DIRS) newestFile(path.join(ROOT, dir), newest);
  for (const file of BUILD_INPUT_FILES) {
    const full = path.join(ROOT, file);
    if (existsSync(full)) {
      const mtimeMs = statSync(full).mtimeMs;
      if (mtimeMs > newest.mtimeMs) Object.assign(newest, { file: full, mtimeMs });
    }
  }
  return newest.mtimeMs > builtAt ? `${path.relative(ROOT, newest.file)} changed since the last build` : null;
}
