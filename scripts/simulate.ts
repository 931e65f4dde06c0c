/**
 * The fleet simulator as a process: plays every seeded gateway through the device protocol.
 * `npm start` runs it next to the web app unless HEARTH_SIM=0.
 *
 *   DATABASE_URL=postgres://… npx tsx scripts/simulate.ts [--speed 60] [--seed 7] [--history-days 30] [--url http://localhost:3000]
 *
 * Settings (flag, or environment variable):
 *   --speed         HEARTH_SIM_SPEED         simulated seconds per real second once live (default 1)
 *   --seed          HEARTH_SIM_SEED          seed of weather, households, outages and the demo customers'
 *                                            past work (default 1)
 *   --history-days  HEARTH_SIM_HISTORY_DAYS  days of history filled before going live, on a fleet
 *                                            never simulated (default 62: the whole previous calendar
 *                                            month, whatever today's date; 0: none). A fleet simulated
 *                                            before resumes from its last reading, filling the gap
 *                                            up to that many days.
 *   --history-gateways HEARTH_SIM_HISTORY_GATEWAYS  comma-separated gateway serials: fill history for
 *                                            these only, the rest of the fleet starting live (a cheap
 *                                            history for a few homes, as the browser tests use)
 *   --history-days last-month                from the day before the 1st of the previous month: that
 *                                            month whole, in every zone
 *   --no-live                                stop once the history is filled (and its months closed)
 *   --no-demo-work  HEARTH_SIM_DEMO_WORK=0   leave out the demo customers' past work: by default, filling
 *                                            the whole fleet's history (not --history-gateways), the demo
 *                                            customers submit a handful of tasks a week as the simulated
 *                                            clock passes them (server/sim/demo-work.ts); none once live
 *   --url           HEARTH_SIM_URL           send reports over HTTP to this platform instead of
 *                                            calling the protocol handler in this process (speed 1 only)
 *   --workers       HEARTH_SIM_WORKERS       worker threads running the profiles' programs (default 1)
 *   --no-engine     HEARTH_SIM_ENGINE=0      do not run the engine's tick after each reporting round
 *                                            (leave it to the web process; only sensible live at speed 1)
 *
 * Each calendar month the filled history covers whole is closed for the electricity refund, as
 * the engine would have on its 3rd, so that residents find last month's statement.
 *
 * Progress goes to stderr: "[sim] history 34% (day 21 of 62)", then a status line every 10 minutes.
 */
import { MAX_CLOCK_AHEAD_MS } from "../server/device/report";
import { closeDb, createDb } from "../server/db/client";
import { createProfilePool } from "../server/profiles/worker";
import { loadFleet, newestReadingMs, radiatorCount } from "../server/sim/fleet";
import { CredentialsRevokedError, HISTORY_CADENCE, LIVE_CADENCE, Simulation } from "../server/sim/simulation";
import { DemoWork } from "../server/sim/demo-work";
import { importSimulatedWeather } from "../server/sim/weather-feed";
import { closeSimulatedHistory } from "../server/services/refunds";
import type { Db } from "../server/db/client";
import { seconds } from "./proc";

const say = (line: string) => console.error(`[sim] ${line}`);
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const STATUS_EVERY_MS = 10 * 60_000;

type Settings = {
  speed: number;
  seed: number;
  historyDays: number;
  historyGateways: string[];
  url: string | undefined;
  workers: number;
  engine: boolean;
  live: boolean;
  demoWork: boolean;
};

/** Days back to the day before the 1st of the previous month (UTC), so that month is whole in every zone. */
function daysSinceLastMonth(nowMs: number): number {
  const now = new Date(nowMs);
  return Math.ceil((nowMs - Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)) / DAY_MS) + 1;
}

function settings(argv: string[]): Settings {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--no-engine" || arg === "--no-live" || arg === "--no-demo-work") switches.add(arg);
    else if (arg.startsWith("--") && arg.includes("=")) flags.set(arg.slice(2, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1));
    else if (arg.startsWith("--") && i + 1 < argv.length) flags.set(arg.slice(2), argv[++i]!);
    else throw new Error(`unknown argument ${arg}`);
  }
  const known = new Set(["speed", "seed", "history-days", "history-gateways", "url", "workers"]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}`);
  const env = process.env;
  const number = (name: string, value: string | undefined, fallback: number, check: (n: number) => boolean) => {
    if (value === undefined || value === "") return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || !check(n)) throw new Error(`${name} must be a valid number, got ${JSON.stringify(value)}`);
    return n;
  };
  return {
    speed: number("speed", flags.get("speed") ?? env.HEARTH_SIM_SPEED, 1, (n) => n > 0),
    seed: number("seed", flags.get("seed") ?? env.HEARTH_SIM_SEED, 1, Number.isSafeInteger),
    historyDays:
      (flags.get("history-days") ?? env.HEARTH_SIM_HISTORY_DAYS) === "last-month"
        ? daysSinceLastMonth(Date.now())
        : number("history-days", flags.get("history-days") ?? env.HEARTH_SIM_HISTORY_DAYS, 62, (n) => n >= 0 && n <= 3660),
    historyGateways: (flags.get("history-gateways") ?? env.HEARTH_SIM_HISTORY_GATEWAYS ?? "")
      .split(",")
      .map((serial) => serial.trim())
      .filter((serial) => serial.length > 0),
    url: flags.get("url") ?? (env.HEARTH_SIM_URL || undefined),
    workers: number("workers", flags.get("workers") ?? env.HEARTH_SIM_WORKERS, 1, (n) => Number.isSafeInteger(n) && n >= 1 && n <= 64),
    engine: !switches.has("--no-engine") && env.HEARTH_SIM_ENGINE !== "0",
    live: !switches.has("--no-live"),
    demoWork: !switches.has("--no-demo-work") && env.HEARTH_SIM_DEMO_WORK !== "0",
  };
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (the simulator reads the fleet there and provisions its gateways' credentials)");
  const s = settings(process.argv.slice(2));
  if (s.url && s.speed !== 1) throw new Error("--url works at speed 1 only: the platform refuses readings more than 5 minutes ahead of its clock");

  const abort = new AbortController();
  const stop = (signal: string) => {
    if (abort.signal.aborted) process.exit(1);
    say(`${signal}: stopping after the current step…`);
    abort.abort();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Started by `npm start`: stop when it is gone.
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) stop("parent exited");
  }, 1000).unref();

  const db = createDb(databaseUrl, { maxConnections: 8 });
  const pool = createProfilePool(s.workers);
  try {
    if (s.historyGateways.length > 0 && s.historyDays > 0) {
      // A few gateways' history first, on their own; then the whole fleet goes live.
      const part = await loadFleet(db, { gatewaySerials: s.historyGateways });
      const newest = newestReadingMs(part);
      const historyStart = Math.floor((Date.now() - s.historyDays * DAY_MS) / MINUTE_MS) * MINUTE_MS;
      const startMs = newest === null ? historyStart : Math.max(historyStart, Math.floor(newest / MINUTE_MS) * MINUTE_MS);
      say(`history for ${part.gateways.length} gateway(s) only: ${s.historyGateways.join(", ")}`);
      const partSim = await Simulation.create({ db, fleet: part, seed: s.seed, startMs, runner: pool, engineTicks: s.engine, log: say });
      await fillHistory(db, partSim, abort.signal);
      if (abort.signal.aborted || !s.live) return;
      s.historyDays = 0;
    }
    const fleet = await loadFleet(db);
    const [all] = await db.$client<{ n: number }[]>`select count(*)::int as n from gateways`;
    const real = (all?.n ?? 0) - fleet.gateways.length;
    if (real > 0) say(`${real} gateway(s) with a credential issued by staff are real hardware: not simulated`);
    const now = Date.now();
    const newest = newestReadingMs(fleet);
    const historyStart = Math.floor((now - s.historyDays * DAY_MS) / MINUTE_MS) * MINUTE_MS;
    // A fleet heard of before resumes at its last reading (its meters and rooms as reported; the
    // repeated reading of that instant is ignored by the platform), filling the gap since.
    const startMs = newest === null ? historyStart : Math.max(historyStart, Math.floor(newest / MINUTE_MS) * MINUTE_MS);
    // The demo customers' work of the history (a gap filled after a restart included); none live.
    const workload = s.demoWork && now - startMs >= HOUR_MS ? await DemoWork.load(db, { seed: s.seed, fromMs: startMs, toMs: now, log: say }) : null;
    if (workload && workload.size > 0) say(`demo customers: ${workload.size} task(s) to submit over the history`);
    const sim = await Simulation.create({
      db,
      fleet,
      seed: s.seed,
      startMs,
      baseUrl: s.url,
      runner: pool,
      engineTicks: s.engine,
      workload: workload ?? undefined,
      log: say,
    });
    if (newest !== null && newest > now + MAX_CLOCK_AHEAD_MS && s.speed <= 1) {
      say(`the fleet's last reading is in the future (${new Date(newest).toISOString()}, an accelerated run): live readings start then`);
    }
    say(
      `${fleet.gateways.length} gateways, ${radiatorCount(fleet)} radiators; seed ${s.seed}, speed ${s.speed}×, ` +
        `${s.url ? `HTTP to ${s.url}` : "in-process protocol handler"}, profile programs: ${pool.mode} (${pool.size})` +
        (newest === null ? "" : `; resuming after ${new Date(newest).toISOString()}`),
    );

    // The sites' outdoor temperatures, observed hour by hour: the simulated weather, imported as a
    // station's file would be, from the start to now, then each simulated hour while live.
    let weatherToMs = Date.now();
    const weatherHours = await importSimulatedWeather(db, { seed: s.seed, fromMs: sim.nowMs, toMs: weatherToMs });
    say(`outdoor temperatures: ${weatherHours} site-hours imported`);
    let weatherImport: Promise<unknown> = Promise.resolve();
    const importWeather = () => {
      if (sim.nowMs - weatherToMs < HOUR_MS) return;
      const fromMs = weatherToMs + 1;
      weatherToMs = sim.nowMs;
      weatherImport = weatherImport
        .then(() => importSimulatedWeather(db, { seed: s.seed, fromMs, toMs: weatherToMs }))
        .catch((err: unknown) => say(`outdoor temperatures: import failed: ${err instanceof Error ? err.message : String(err)}`));
    };

    await fillHistory(db, sim, abort.signal);
    if (workload && workload.size > 0) {
      const { submitted, refused } = workload.stats;
      say(`demo customers: ${submitted} task(s) submitted in the history${refused > 0 ? `, ${refused} already there or refused` : ""}`);
    }
    if (abort.signal.aborted || !s.live) return;

    say(`live at ${s.speed}× from ${new Date(sim.nowMs).toISOString()}: a reading and a report a minute`);
    let lastStatus = Date.now();
    const before = { ...sim.stats };
    await sim.runLive({
      speed: s.speed,
      cadence: LIVE_CADENCE,
      signal: abort.signal,
      onStep: () => {
        importWeather();
        if (Date.now() - lastStatus < STATUS_EVERY_MS) return;
        lastStatus = Date.now();
        const running = sim.world.radiators.reduce((n, r) => n + r.attempts.size, 0);
        const off = sim.world.radiators.filter((r) => r.off).length;
        const offline = sim.gateways.filter((g) => sim.world.internetDown(g.serial, sim.nowMs)).length;
        say(
          `${new Date(sim.nowMs).toISOString()}: ${sim.stats.reports - before.reports} reports, ${sim.stats.readings - before.readings} readings since live; ` +
            `${running} attempts running, ${off} radiators off, ${offline} gateways offline`,
        );
      },
    });
  } finally {
    await pool.close();
    await closeDb(db);
  }
}

/**
 * History: from the simulation's start up to the present, at the history cadence, as fast as it
 * goes; then the whole months it covered are closed for the refund.
 */
async function fillHistory(db: Db, sim: Simulation, signal: AbortSignal) {
  const fromMs = sim.nowMs;
  const t0 = Date.now();
  const totalMs = Math.max(0, Date.now() - sim.nowMs);
  if (totalMs >= HOUR_MS) {
    const totalDays = Math.max(1, Math.round(totalMs / DAY_MS));
    say(`history: ${(totalMs / DAY_MS).toFixed(1)} days from ${new Date(fromMs).toISOString()}, a reading every ${HISTORY_CADENCE.readingS / 60} min…`);
    let lastPct = -1;
    const progress = () => {
      const pct = Math.min(100, Math.floor(((sim.nowMs - fromMs) / totalMs) * 100));
      if (pct >= lastPct + 2) {
        lastPct = pct;
        const day = Math.min(totalDays, Math.floor((sim.nowMs - fromMs) / DAY_MS));
        say(`history ${pct}% (day ${day} of ${totalDays})`);
      }
    };
    // The wall clock moves while history fills: go on until less than two minutes are left,
    // then take a reading of every radiator and report everything, so the platform is up to date.
    while (!signal.aborted && Date.now() - sim.nowMs >= 2 * MINUTE_MS) {
      const target = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
      await sim.runUntil(target, HISTORY_CADENCE, { onDay: progress, stop: () => signal.aborted });
    }
    if (!signal.aborted) await sim.step(HISTORY_CADENCE, { reading: true, report: true });
    progress();
    say(
      `history: done in ${seconds(Date.now() - t0)}: ${sim.stats.readings} readings in ${sim.stats.reports} reports ` +
        `(physics ${seconds(sim.stats.physicsMs)}, reports ${seconds(sim.stats.reportMs)}, engine ticks ${seconds(sim.stats.engineMs)})` +
        (sim.stats.assigned + sim.stats.reclaimed > 0 ? `; engine: ${sim.stats.assigned} dispatched, ${sim.stats.reclaimed} reclaimed` : ""),
    );
  }
  if (signal.aborted || totalMs < HOUR_MS) return;
  for (const c of await closeSimulatedHistory(db, { fromMs, toMs: sim.nowMs })) {
    say(`refunds: ${c.month.slice(0, 7)} closed, ${c.statementsWritten} statement(s)`);
  }
}

/** Exit code when another simulator took the fleet over: `npm start` does not restart us then. */
const EXIT_TAKEN_OVER = 3;

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof CredentialsRevokedError) {
      say(`stopping: ${err.message}`);
      process.exit(EXIT_TAKEN_OVER);
    }
    say(`failed: ${err instanceof Error ? (process.env.HEARTH_DEBUG ? (err.stack ?? err.message) : err.message) : String(err)}`);
    process.exit(1);
  },
);
