/**
 * `npm start` stops everything it started when the terminal's Ctrl-C (SIGINT to its process
 * group) or a SIGTERM to its process group arrives: the fleet simulator, the web server and the
 * embedded PostgreSQL, although the first two run in process groups of their own.
 *
 * It runs the real `npm start` with the demo and the simulator, on free ports, with its data in
 * a temporary folder (HEARTH_DATA_DIR). It serves the production build in .next as it is
 * (HEARTH_BUILD=0): building would take minutes, and how the server stops does not depend on
 * how fresh the build is. Without a build it is skipped; `npm test` runs it right after its build.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { descendants, freePort, ROOT } from "./proc";

const BUILT = existsSync(path.join(ROOT, ".next", "BUILD_ID"));
const STARTUP_MS = 90_000;
/** The shutdown waits at most 10 s for each child before SIGKILL; it normally takes a few seconds. */
const STOP_MS = 30_000;

type Proc = { pid: number; pgid: number; comm: string; args: string; startTime: string };

/** A live process as /proc shows it; undefined once it has exited (a zombie has exited too). */
function processInfo(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid pgrp … starttime(22nd) …"; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return undefined;
    return {
      pid,
      pgid: Number(fields[2]),
      comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      args: readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim(),
      startTime: fields[19]!,
    };
  } catch {
    return undefined;
  }
}

/** Still the same process (not a new one that reuses its pid). */
const isRunning = (p: Proc) => processInfo(p.pid)?.startTime === p.startTime;
const describeProc = (p: Proc) => `${p.pid} (group ${p.pgid}) ${p.comm}: ${p.args.slice(0, 100)}`;

function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** What npm start said while it stopped. */
const shutdownLines = (output: string) =>
  output
    .slice(output.search(/\[hearth\] (Ctrl-C|SIGTERM): stopping/))
    .split("\n")
    .filter((line) => line.startsWith("[hearth]"))
    .join("\n");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, ms: number, check: () => boolean | Promise<boolean>, output: () => string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
}

describe.skipIf(!BUILT || process.platform !== "linux")("npm start, stopped by a signal", () => {
  let dataDir: string;
  let port: number;
  let pgPort: number;
  /** Everything a case started, killed after it whatever happened. */
  let started: Proc[] = [];
  let npm: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "hearth-start-"));
    await fs.chmod(dataDir, 0o755); // run as root, PostgreSQL runs as the postgres user
    port = await freePort();
    pgPort = await freePort();
  });

  afterEach(() => {
    for (const p of started) if (isRunning(p)) process.kill(p.pid, "SIGKILL");
    if (npm?.pid && npm.exitCode === null && npm.signalCode === null) process.kill(npm.pid, "SIGKILL");
    started = [];
    npm = undefined;
  });

  afterAll(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Starts `npm start` in a process group of its own, as a terminal would; resolves when it serves and simulates. */
  async function startHearth() {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HEARTH_HOST: "127.0.0.1",
      HEARTH_PG_PORT: String(pgPort),
      HEARTH_DATA_DIR: dataDir,
      HEARTH_BUILD: "0",
      HEARTH_DEMO: "1",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    for (const name of ["DATABASE_URL", "AUTH_SECRET", "HEARTH_DATA_KEY", "HEARTH_SIM", "HEARTH_ENGINE_LOOP", "HEARTH_DEBUG"]) delete env[name];
    const child = spawn("npm", ["start"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    npm = child;
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const hasExited = () => child.exitCode !== null || child.signalCode !== null;
    const log = () => output;

    await waitFor("the app to answer HTTP", STARTUP_MS, async () => {
      if (hasExited()) throw new Error(`npm start exited early:\n${output}`);
      try {
        await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
        return true;
      } catch {
        return false;
      }
    }, log);
    await waitFor("the simulator to play the fleet", STARTUP_MS, () => /\[sim\] (history|live)/.test(output), log);

    const tree = descendants(child.pid!)
      .map(processInfo)
      .filter((p): p is Proc => p !== undefined);
    started = tree;
    return { child, exited, hasExited, tree, output: log };
  }

  async function expectAllStopped(run: Awaited<ReturnType<typeof startHearth>>) {
    const { tree, output } = run;
    // What the test is about: a web server and a simulator in groups of their own, and PostgreSQL.
    const group = run.child.pid!;
    expect(tree.some((p) => p.comm.startsWith("next-server") && p.pgid !== group), tree.map(describeProc).join("\n")).toBe(true);
    expect(tree.some((p) => p.args.includes("scripts/simulate.ts") && p.pgid !== group)).toBe(true);
    expect(tree.some((p) => p.comm === "postgres")).toBe(true);

    const deadline = Date.now() + STOP_MS;
    while (Date.now() < deadline && (tree.some(isRunning) || !run.hasExited())) await sleep(200);
    const survivors = tree.filter(isRunning);
    expect(survivors.map(describeProc), `still running ${STOP_MS / 1000} s after the signal; output:\n${output()}`).toEqual([]);
    expect(run.hasExited()).toBe(true);
    expect(await accepts(pgPort)).toBe(false); // the embedded PostgreSQL is down
    expect(output()).toMatch(/\[hearth\] stopped/);
  }

  it("Ctrl-C (SIGINT to the process group) stops the simulator, the web server and PostgreSQL", async () => {
    const run = await startHearth();
    const t0 = Date.now();
    process.kill(-run.child.pid!, "SIGINT");
    await expectAllStopped(run);
    console.log(`SIGINT: everything stopped in ${Date.now() - t0} ms\n${shutdownLines(run.output())}`);
  }, STARTUP_MS * 2 + STOP_MS);

  it("SIGTERM to the process group stops them all too", async () => {
    const run = await startHearth();
    const t0 = Date.now();
    process.kill(-run.child.pid!, "SIGTERM");
    await expectAllStopped(run);
    console.log(`SIGTERM: everything stopped in ${Date.now() - t0} ms\n${shutdownLines(run.output())}`);
  }, STARTUP_MS * 2 + STOP_MS);
});
