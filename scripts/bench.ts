/**
 * `npm run bench`: throughput of the dispatcher, of telemetry ingestion and of the fleet
 * simulator's physics, each next to a baseline measured in the same run, on the same machine
 * and (for the first two) the same tables.
 *
 *   npm run bench              full size: 10,000 radiators, 100,000 queued instances, 200,000 readings
 *   npm run bench -- --quick   1,000 radiators, 10,000 instances, 20,000 readings (under a minute)
 *   npm run bench -- --only ingest   only the named figures (comma-separated), at either size
 *
 * stdout: one JSON line per figure, {"name","value","unit","baseline","ratio",…} with
 * ratio = value / baseline. stderr: progress, and where the time goes.
 *
 *   dispatch  instances/s: `assignWork` called until it assigns nothing, on a queue that the
 *             fleet's wanted cores can take whole. Baseline: a bare SQL dequeue loop (one
 *             statement per batch of 500 radiators) making the same writes.
 *   ingest    readings/s: gateway reports (100 radiators × 10 readings) through `handleReport`,
 *             one after the other, on an idle fleet (no work queued or running). Baseline: bare
 *             multi-row INSERTs of the same readings, 1,000 rows per statement.
 *   simulate  radiator-minutes/s: the fleet simulator's physics (server/sim/world.ts: weather per
 *             climate, households per flat, breakers, thermostats, meters, the rooms' RC model)
 *             for 10,000 synthetic radiators (1,000 with --quick) over 60 simulated minutes in
 *             1-minute steps, on one thread; no database. Goal: ≥ 10,000 radiator-minutes/s
 *             (10,000 radiators at 60× real time). Baseline: a bare loop of only the thermal step
 *             of the same rooms, with constant inputs. Measured first, before the database work.
 *
 *   fairness  how much one customer's heavy reads slow another's: the other customer's `GET
 *             /api/v1/tasks` p95 while the first, with 400,000 queued instances (40,000 with
 *             --quick), sends 50 `compute.task` calls at a time (in tRPC batches as the portal's
 *             client makes them), loads a 100,000-instance task's instanceGrid and task, and polls
 *             a large log; against the same p95 with no load, measured just before. value = ratio
 *             = unloaded p95 / loaded p95 (1 is perfect). Goal: loaded p95 under 100 ms and within
 *             3× of unloaded. Requests go through the web's own handlers, in this process.
 *   history   a resident's room over a day, a week, a month and a year (`roomHistory`, the service
 *             behind history.room) with a year of hourly and daily rollups for 1,000 radiators
 *             (100 with --quick) and the site's hourly outdoor temperatures in the database; p95 of
 *             each view against a bare SQL read of the same rollup rows, alternating. value = ratio
 *             = bare p95 / our p95 for the year view. Goal: year view p95 under 50 ms and within 2×
 *             of the bare read.
 *   statement-pdf  PDFs/s: a resident's monthly refund statement (3 radiators split at a tariff
 *             change, the gateway, an adjustment) through `renderStatementPdf`, written to a file,
 *             200 times (20 with --quick); no database. Baseline: the same text, as pdf.js reads it
 *             back from the PDF, written to a file as many times. ratio = PDFs/s / text files/s.
 *   retention seconds to drop a month of raw readings, 10,000 radiators × one reading every 10
 *             minutes (1,000 radiators with --quick), through `dropExpiredTelemetryPartitions`;
 *             baseline: a bare DROP TABLE of a plain table of the same rows and primary key.
 *             value = ratio = baseline time / our time.
 *   close     seconds to close a month of the electricity refund (`runClose`: every enrolled
 *             dwelling's statement, lines per radiator and tariff period, written to the ledger) for
 *             10,000 radiators in 2,500 flats (1,000 with --quick), with a month of hourly rollups
 *             (energy and the counters at each hour's edges) and the hours around it; baseline: a
 *             bare SQL aggregate of the same rows (energy and edge counters per radiator over the
 *             month). value = ratio = baseline time / our time. Goal: ≥ 0.5 (within 2×).
 *   carbon    the Carbon Facts of a finished 10,000-instance task (1,000 with --quick), 20,000 ledger
 *             rows on 10,000 radiators, through `workCarbonFacts`; baseline: a bare SQL sum of the
 *             same ledger rows. value = ratio = baseline time / our time. Goal: ≥ 0.5 and < 200 ms.
 *
 * Each figure is measured 3 times (carbon, a few milliseconds a run, 9 times), alternating with
 * its baseline, from the same starting state;
 * the medians are reported, and every run is checked for correctness.
 *
 * Database: a fresh database hearth_bench_<time>_<random> on the server of DATABASE_URL, or,
 * without DATABASE_URL, on an embedded PostgreSQL in .data/pg-bench (port 54331). It is dropped
 * at the end, also on failure and Ctrl-C.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createDatabase, dropDatabase, dropDatabasesWithPrefix, scratchDatabaseName, withDatabase } from "../server/db/admin";
import type { Db } from "../server/db/client";
import { migrateDb } from "../server/db/migrate";
import * as schema from "../server/db/schema";
import { assignWork, SILENT_AFTER_S } from "../server/services/scheduler";
import { roomHistory } from "../server/services/history";
import { historyPeriod } from "../server/domain/history-period";
import { dropExpiredTelemetryPartitions } from "../server/services/telemetry-partitions";
import { runClose } from "../server/services/refunds";
import { workCarbonFacts } from "../server/services/carbon";
import { createTask } from "../server/services/tasks";
import type { SessionUser } from "../server/auth/authenticate";
import type { Statement } from "../server/services/refund-statements";
import { TRPC_MAX_BATCH_CALLS } from "../server/domain/api-limits";
import { startEmbeddedPostgres } from "./embedded-pg";
import type { EmbeddedPostgres } from "./embedded-pg";
import { ROOT, seconds } from "./proc";

process.chdir(ROOT); // migrations are read from ./drizzle

const BENCH_DB_PREFIX = "hearth_bench_";
const BENCH_PG_PORT = 54331;
const startedAt = Date.now();

const say = (line: string) => console.error(`[bench] ${line}`);
const emit = (figure: Record<string, unknown>) => console.log(JSON.stringify(figure));

// ---------------------------------------------------------------------------------------------
// Sizes

const FIGURES = ["simulate", "statement-pdf", "dispatch", "ingest", "fairness", "history", "retention", "close", "carbon"] as const;
type Figure = (typeof FIGURES)[number];
const USAGE = `Use: npm run bench [-- [--quick] [--only ${FIGURES.join(",")}]]`;

function parseArgs(args: string[]) {
  let quick = false;
  let only: Set<Figure> = new Set(FIGURES);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const list = arg === "--only" ? args[++i] : arg.slice("--only=".length);
      const names = (list ?? "").split(",").filter(Boolean);
      const unknown = names.filter((n) => !(FIGURES as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) {
        say(`--only takes figure names (${FIGURES.join(", ")}), not "${list ?? ""}". ${USAGE}`);
        process.exit(2);
      }
      only = new Set(names as Figure[]);
    } else {
      say(`unknown argument: ${arg}. ${USAGE}`);
      process.exit(2);
    }
  }
  return { quick, only };
}
const { quick, only } = parseArgs(process.argv.slice(2));

/** Each building has one gateway driving 25 flats × 4 rooms, one radiator per room. */
const RADIATORS_PER_GATEWAY = 100;
const DWELLINGS_PER_BUILDING = 25;
const ROOMS_PER_DWELLING = 4;

const SIZE = {
  gateways: quick ? 10 : 100,
  /** 16-core radiators whose rooms want 12 cores: 20% more than the queue needs. */
  hardwareCores: 16,
  coresWanted: 12,
  customers: 5,
  /** Per customer: one OnDemand and one Flex task of 1-core (monte-carlo) instances. */
  tasksPerCustomer: 2,
  instancesPerTask: quick ? 1_000 : 10_000,
  /** The baseline's batch, radiators per statement: as many as the scheduler's default batch. */
  batchRadiators: 500,
  readingsPerRadiator: 10,
  /** Reports per gateway (seq 1, 2, …). */
  reportRounds: 2,
  /** simulate: synthetic radiators and simulated minutes stepped. */
  simRadiators: quick ? 1_000 : 10_000,
  simMinutes: 60,
};
const RADIATORS = SIZE.gateways * RADIATORS_PER_GATEWAY;
/** Each figure is measured this many times, baseline and code under test alternating; medians are reported. */
const RUNS = 3;
const QUEUED = SIZE.customers * SIZE.tasksPerCustomer * SIZE.instancesPerTask;

// ---------------------------------------------------------------------------------------------
// What we started, and how to clean it up

let serverUrl: string | undefined;
let embedded: EmbeddedPostgres | undefined;
/** The database this run created (set once it exists). */
let dbName: string | undefined;
/** Database creation in flight: cleanup waits for it so nothing is created after the drop. */
let creating: Promise<unknown> = Promise.resolve();
const clients = new Set<postgres.Sql>();
let cleaningUp: Promise<void> | undefined;
let interrupted = false;

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    await Promise.allSettled([...clients].map((client) => client.end({ timeout: 2 })));
    await creating.catch(() => {});
    if (dbName && embedded?.hasExited()) say(`${dbName} stays in .data/pg-bench; the next run drops it`);
    else if (serverUrl && dbName) {
      try {
        await dropDatabase(serverUrl, dbName);
        say(`dropped ${dbName}`);
      } catch (err) {
        say(`could not drop ${dbName} (${message(err)}); ${embedded ? "the next run drops it" : "drop it by hand"}`);
      }
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
    say(`${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping and cleaning up…`);
    void cleanup().then(() => {
      say(`INTERRUPTED after ${seconds(Date.now() - startedAt)}`);
      process.exit(130);
    });
  } else if (signalsSeen === 3) {
    say(`forced exit; ${dbName ?? "the bench database"} may be left behind`);
    process.exit(130);
  }
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
process.on("SIGHUP", onSignal);
// Errors that escape (e.g. from the driver when a connection is killed) still clean up.
process.on("unhandledRejection", (err) => void finish(err));
process.on("uncaughtException", (err) => void finish(err));

function message(err: unknown) {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Profiling: where the time of a measured run goes, per SQL statement kind

/**
 * Splits wall time into segments, each named after what runs in it: a statement from its start
 * (drizzle's logger) to its result (a wrapped `execute`), the JavaScript after it until the next
 * statement, BEGIN and COMMIT. Cheap enough (a clock read per statement) to stay on while measuring.
 */
type Profile = {
  /** Time per segment label, and how many segments. */
  segments: Map<string, { ms: number; count: number }>;
  /** Duration of each top-level transaction, in order, ms. */
  transactions: number[];
};

class Profiler {
  private profile: Profile = { segments: new Map(), transactions: [] };
  private current: string | null = null;
  private since = 0;
  lastQuery = "";
  active = false;

  mark(label: string | null) {
    if (!this.active) return;
    const now = performance.now();
    if (this.current !== null) {
      const t = this.profile.segments.get(this.current) ?? { ms: 0, count: 0 };
      t.ms += now - this.since;
      t.count += 1;
      this.profile.segments.set(this.current, t);
    }
    this.current = label;
    this.since = now;
  }

  transactionDone(ms: number) {
    if (this.active) this.profile.transactions.push(ms);
  }

  start() {
    this.profile = { segments: new Map(), transactions: [] };
    this.current = null;
    this.active = true;
    this.mark("outside transactions");
  }

  stop(): Profile {
    this.mark(null);
    this.active = false;
    return this.profile;
  }
}

/** Lines for stderr, biggest first. */
function profileLines(profile: Profile, wallMs: number): string[] {
  return [...profile.segments]
    .sort((a, b) => b[1].ms - a[1].ms)
    .filter(([, t]) => t.ms >= wallMs * 0.002)
    .map(
      ([label, t]) =>
        `${((100 * t.ms) / wallMs).toFixed(1).padStart(5)}%  ${(t.ms / 1000).toFixed(2).padStart(6)}s  ` +
        `${String(t.count).padStart(5)}×  ${(t.ms / t.count).toFixed(2).padStart(7)} ms each  ${label}`,
    );
}

const profiler = new Profiler();

/** Statement kinds of the scheduler and the report handler; anything else: verb and table. */
const KNOWN_STATEMENTS: Array<[RegExp, string]> = [
  [/^with recursive/, "queued customers (recursive skip scan)"],
  [/from radiator_states rs join radiators .*for update/, "lock radiators with free cores"],
  [/from instances where state = 'queued' .*for update/, "lock candidate instances"],
  [/sum\(cores_assigned\)/, "running cores per customer"],
  [/^insert into instance_attempts/, "insert attempts"],
  [/^update instances i set state = 'dispatched'/, "update instances"],
  [/^update radiator_states rs set cores_assigned/, "update radiator_states"],
  [/from instance_attempts a join instances i .*where a\.state in/, "active attempts on radiators"],
  [/pg_advisory_xact_lock/, "advisory lock on the gateway"],
];

/** Labels by statement text: the texts repeat (parameters are apart), so each is worked out once. */
const labels = new Map<string, string>();

function statementLabel(text: string): string {
  let label = labels.get(text);
  if (label === undefined) labels.set(text, (label = computeLabel(text)));
  return label;
}

function computeLabel(text: string): string {
  const s = text.replace(/\s+/g, " ").trim().toLowerCase();
  const known = KNOWN_STATEMENTS.find(([pattern]) => pattern.test(s));
  if (known) return known[1];
  const flags = [/ for update/.test(s) && "for update", / on conflict/.test(s) && "on conflict"].filter(Boolean);
  // A write is named by the tables it writes (a statement may write several through CTEs) …
  const writes = [...s.matchAll(/(?<!do |for )\b(insert into|update|delete from) "?([a-z_]+)"?/g)].map((m) => `${m[1]!.split(" ")[0]} ${m[2]}`);
  // … a read by the tables it reads: not CTEs, not `extract(epoch from …)`, not functions such as unnest(…).
  const ctes = new Set([...s.matchAll(/(?:^with(?: recursive)?|,) ([a-z_]+) as (?:materialized )?\(/g)].map((m) => m[1]));
  const reads = new Set(
    [...s.matchAll(/(?<!epoch )\b(?:from|join) "?([a-z_]+)"?(\()?/g)].filter((m) => !m[2] && !ctes.has(m[1])).map((m) => m[1]),
  );
  const verb = /^(release savepoint|savepoint|rollback|select)/.exec(s)?.[1] ?? s.slice(0, 20);
  const table = writes.length > 0 ? writes.join(" + ") : `${verb} ${[...reads].join(", ")}`.trim();
  return `${table}${flags.length ? ` (${flags.join(", ")})` : ""}`;
}

/**
 * The database handle given to the code under measure: marks BEGIN/COMMIT and the end of each
 * `execute`, for nested transactions (savepoints) too. Everything else passes through.
 */
function profiled<T extends object>(target: T, nested = false): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop) as unknown;
      if (prop === "execute" && typeof value === "function") {
        return async (...a: unknown[]) => {
          const result = await (value as (...x: unknown[]) => Promise<unknown>).apply(obj, a);
          profiler.mark(`  JavaScript after: ${profiler.lastQuery}`);
          return result;
        };
      }
      if (prop === "transaction" && typeof value === "function") {
        return async (fn: (tx: object) => Promise<unknown>, config?: unknown) => {
          const t0 = performance.now();
          if (!nested) profiler.mark("BEGIN");
          try {
            return await (value as (f: typeof fn, c?: unknown) => Promise<unknown>).call(
              obj,
              async (tx) => {
                const out = await fn(profiled(tx, true));
                profiler.mark(nested ? "  release savepoint" : "COMMIT");
                return out;
              },
              config,
            );
          } finally {
            if (!nested) {
              profiler.mark("between transactions (caller's JavaScript)");
              profiler.transactionDone(performance.now() - t0);
            }
          }
        };
      }
      // Methods run on the real object; `$client` (a function with properties) stays as it is.
      return typeof value === "function" && prop !== "$client" ? (value as (...x: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

/** A drizzle handle like `createDb`'s, whose statements are seen by the profiler. */
function openProfiledDb(url: string): Db {
  const client = postgres(url, { max: 4, onnotice: () => {} });
  clients.add(client);
  const db = drizzle(client, {
    schema,
    logger: {
      logQuery(query: string) {
        if (!profiler.active) return;
        profiler.lastQuery = statementLabel(query);
        profiler.mark(profiler.lastQuery);
      },
    },
  });
  return profiled(db) as unknown as Db;
}

function openDb(url: string): Db {
  const client = postgres(url, { max: 4, onnotice: () => {} });
  clients.add(client);
  return drizzle(client, { schema }) as unknown as Db;
}

/** The run of median time (of an odd number of runs). */
function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function transactionSummary(ms: number[]) {
  if (ms.length === 0) return "no transactions";
  const fmt = (x: number) => `${x.toFixed(0)} ms`;
  return (
    `${ms.length} transactions: median ${fmt(percentile(ms, 0.5))}, p90 ${fmt(percentile(ms, 0.9))}, ` +
    `max ${fmt(Math.max(...ms))}; first ${fmt(ms[0]!)}, last ${fmt(ms[ms.length - 1]!)}`
  );
}

/** VACUUM and CHECKPOINT so that each measured run starts from equally clean tables. */
async function settle(sql: postgres.Sql, tables: string[]) {
  await sql.unsafe(`vacuum analyze ${tables.join(", ")}`);
  try {
    await sql.unsafe("checkpoint");
  } catch {
    // CHECKPOINT needs superuser or pg_checkpoint; without it the run is only noisier.
  }
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Database

async function openServer() {
  const t0 = Date.now();
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, "postgres");
    const shown = new URL(serverUrl);
    say(`database server: ${shown.hostname}:${shown.port || 5432} (from DATABASE_URL)`);
    return;
  }
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(ROOT, ".data", "pg-bench"),
    port: Number(process.env.HEARTH_BENCH_PG_PORT) || BENCH_PG_PORT,
    log: (line) => say(`  ${line}`),
  });
  serverUrl = embedded.serverUrl;
  say(`embedded PostgreSQL ready on 127.0.0.1:${embedded.port} (${seconds(Date.now() - t0)})`);
  // Nothing else lives in this server: drop what an interrupted run left behind.
  const dropped = await dropDatabasesWithPrefix(serverUrl, BENCH_DB_PREFIX);
  if (dropped > 0) say(`dropped ${dropped} database(s) left by an earlier run`);
}

async function freshDatabase(server: string): Promise<string> {
  const name = scratchDatabaseName(BENCH_DB_PREFIX);
  creating = createDatabase(server, name).then(() => (dbName = name));
  await creating;
  const url = withDatabase(server, name);
  const db = openDb(url);
  await migrateDb(db);
  say(`database ${dbName} created and migrated`);
  return url;
}

// ---------------------------------------------------------------------------------------------
// The bench fleet, in bulk SQL

type Fleet = {
  customerIds: string[];
  /** Gateways in serial order, with their radiators' serials in serial order. */
  gateways: Array<{ id: string; serials: string[] }>;
};

async function buildFleet(sql: postgres.Sql): Promise<Fleet> {
  const t0 = Date.now();
  const [landlord] = await sql<{ id: string }[]>`
    insert into organizations (name, kind) values ('Bench Landlord', 'landlord') returning id`;
  const customers = await sql<{ id: string }[]>`
    insert into organizations (name, kind)
    select 'Bench Customer ' || n, 'customer' from generate_series(1, ${SIZE.customers}::int) n
    returning id`;
  const [hardware] = await sql<{ id: string }[]>`
    insert into hardware_models (name, max_power_w, cores, ram_gb)
    values ('bench-qrad-16', 1000, ${SIZE.hardwareCores}, 32) returning id`;
  const [site] = await sql<{ id: string }[]>`
    insert into sites (organization_id, name, city, climate_zone, kind)
    values (${landlord!.id}, 'Bench site', 'Paris', 'H1a', 'housing') returning id`;
  await sql`
    insert into buildings (site_id, name, address)
    select ${site!.id}, 'Building ' || b, b || ' rue du Banc, Paris' from generate_series(1, ${SIZE.gateways}::int) b`;
  await sql`
    insert into dwellings (building_id, label, floor)
    select b.id, 'D-' || lpad(d::text, 3, '0'), d / 5 from buildings b, generate_series(1, ${DWELLINGS_PER_BUILDING}::int) d`;
  await sql`
    insert into rooms (building_id, dwelling_id, name, area_m2)
    select d.building_id, d.id, 'Room ' || r, 12 from dwellings d, generate_series(1, ${ROOMS_PER_DWELLING}::int) r`;
  // Every room's resident chose 20 °C: each report answers a target per radiator.
  await sql`insert into room_heating (room_id, mode, comfort_c, eco_c, programme) select id, 'comfort', 20, 17, '[]' from rooms`;
  await sql`
    insert into gateways (serial, building_id, firmware_version)
    select 'BENCH-GW-' || lpad((row_number() over (order by b.name))::text, 5, '0'), b.id, '1.0.0' from buildings b`;
  await sql`
    insert into radiators (serial, gateway_id, room_id, hardware_model_id, installed_on)
    select 'BENCH-RAD-' || lpad((row_number() over (order by g.serial, ro.id))::text, 6, '0'), g.id, ro.id, ${hardware!.id}, date '2025-10-01'
    from rooms ro join gateways g on g.building_id = ro.building_id`;
  // Every radiator online and wanting heat.
  await sql`
    insert into radiator_states (radiator_id, last_reading_at, room_temp_c, setpoint_c, power_w, energy_counter_wh,
      cores_active, cores_wanted)
    select id, now(), 18.5, 20, 0, 0, 0, ${SIZE.coresWanted} from radiators`;
  await sql`analyze`;

  const gateways = await sql<{ id: string; serials: string[] }[]>`
    select g.id, array_agg(r.serial order by r.serial) as serials
    from gateways g join radiators r on r.gateway_id = g.id
    group by g.id, g.serial order by g.serial`;
  const radiatorCount = gateways.reduce((n, g) => n + g.serials.length, 0);
  if (radiatorCount !== RADIATORS) throw new Error(`fleet has ${radiatorCount} radiators, expected ${RADIATORS}`);
  say(
    `fleet: ${SIZE.customers} customers, ${SIZE.gateways} gateways, ${RADIATORS} radiators ` +
      `(${SIZE.hardwareCores} cores, ${SIZE.coresWanted} wanted) in ${seconds(Date.now() - t0)}`,
  );
  return { customerIds: customers.map((c) => c.id), gateways: gateways.map((g) => ({ id: g.id, serials: g.serials })) };
}

// ---------------------------------------------------------------------------------------------
// 1. dispatch

/** Queues the work with `createTask`, and keeps a copy of the queue to restore before each run. */
async function queueWork(db: Db, sql: postgres.Sql, fleet: Fleet) {
  const t0 = Date.now();
  for (const [c, organizationId] of fleet.customerIds.entries()) {
    for (let t = 0; t < SIZE.tasksPerCustomer; t++) {
      await createTask(db, {
        organizationId,
        profileName: "monte-carlo",
        name: `bench ${c + 1}.${t + 1}`,
        instanceCount: SIZE.instancesPerTask,
        schedulingType: t === 0 ? "OnDemand" : "Flex",
      });
    }
  }
  await sql`create table bench_queue_copy as select * from instances`;
  say(`queued ${QUEUED} instances with createTask in ${seconds(Date.now() - t0)}`);
}

/** The same starting state for every run: the queue as created, no attempts, radiators idle and online. */
async function resetDispatch(sql: postgres.Sql) {
  await sql`truncate instances, instance_attempts restart identity cascade`;
  await sql`insert into instances overriding system value select * from bench_queue_copy order by id`;
  await sql`update radiator_states set cores_assigned = 0, current_organization_id = null, last_reading_at = now()`;
  await settle(sql, ["instances", "instance_attempts", "radiator_states"]);
}

/** Every instance dispatched exactly once; no radiator over its wanted cores or shared by two customers. */
async function checkDispatch(sql: postgres.Sql, who: string) {
  type Counts = Record<"instances" | "dispatched" | "attempts" | "attempted" | "mismatched" | "overfull" | "shared" | "miscounted", number>;
  const [c] = await sql<Counts[]>`
    select
      (select count(*) from instances)::int as instances,
      (select count(*) from instances where state = 'dispatched' and radiator_id is not null and attempt_count = 1)::int as dispatched,
      (select count(*) from instance_attempts)::int as attempts,
      (select count(distinct instance_id) from instance_attempts)::int as attempted,
      (select count(*) from instance_attempts a join instances i on i.id = a.instance_id
        where a.radiator_id <> i.radiator_id or a.state <> 'dispatched' or a.attempt_number <> 1
          or a.cores_assigned <> i.cores_needed)::int as mismatched,
      (select count(*) from radiator_states where cores_assigned > cores_wanted)::int as overfull,
      (select count(*) from (select radiator_id from instances where radiator_id is not null
        group by radiator_id having count(distinct organization_id) > 1) x)::int as shared,
      (select count(*) from radiator_states rs left join (
          select radiator_id, sum(cores_needed)::int as cores, min(organization_id::text) as org
          from instances where radiator_id is not null group by radiator_id) u using (radiator_id)
        where rs.cores_assigned <> coalesce(u.cores, 0) or rs.current_organization_id::text is distinct from u.org)::int as miscounted`;
  const problems = [
    c!.dispatched !== QUEUED && `${c!.dispatched} of ${QUEUED} instances dispatched (${c!.instances} in the table)`,
    (c!.attempts !== QUEUED || c!.attempted !== QUEUED) && `${c!.attempts} attempts for ${c!.attempted} instances`,
    c!.mismatched > 0 && `${c!.mismatched} attempts disagree with their instance`,
    c!.overfull > 0 && `${c!.overfull} radiators over their wanted cores`,
    c!.shared > 0 && `${c!.shared} radiators running two customers`,
    c!.miscounted > 0 && `${c!.miscounted} radiator states disagree with the instances on them`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`dispatch by ${who} is wrong: ${problems.join("; ")}`);
}

/** The scheduler: `assignWork` until a call assigns nothing. */
async function runScheduler(pdb: Db) {
  let assigned = 0;
  let calls = 0;
  profiler.start();
  const t0 = performance.now();
  for (;;) {
    calls += 1;
    const got = await assignWork(pdb, { now: new Date() }); // its default batch: 500 radiators
    assigned += got.length;
    if (got.length === 0) break;
    if (calls > 10_000) throw new Error("assignWork keeps assigning: more calls than there are instances to place");
  }
  const ms = performance.now() - t0;
  return { ms, assigned, calls, profile: profiler.stop() };
}

/**
 * The baseline: one statement per batch that takes the customer at the head of the queue,
 * locks up to 500 online radiators with free cores that are idle or already this customer's and
 * fit its instances, locks that many cores' worth of its queued 1-core instances in queue order,
 * pairs them by row number with the radiators' free cores, and writes what the scheduler writes:
 * attempts, instances and radiator_states. One customer per batch keeps one customer per radiator
 * without any planning. It handles 1-core instances only (the bench's work).
 */
async function runBaseline(sql: postgres.Sql) {
  let assigned = 0;
  let batches = 0;
  const t0 = performance.now();
  for (;;) {
    batches += 1;
    const now = new Date();
    const onlineSince = new Date(now.getTime() - SILENT_AFTER_S * 1000);
    const [row] = await sql<{ n: number }[]>`
      with head as materialized (
        select priority_class, organization_id, min_cores, min_ram_gb, requires_container_runtime
        from instances where state = 'queued' and cores_needed = 1
        order by priority_class, organization_id, queued_at, id limit 1
      ), rads as materialized (
        select rs.radiator_id, rs.cores_wanted - rs.cores_assigned as free
        from radiator_states rs
        join radiators r on r.id = rs.radiator_id
        join hardware_models h on h.id = r.hardware_model_id
        cross join head
        where rs.cores_wanted > rs.cores_assigned and rs.last_reading_at >= ${onlineSince.toISOString()}
          and (rs.current_organization_id is null or rs.current_organization_id = head.organization_id)
          and h.cores >= head.min_cores and h.ram_gb >= head.min_ram_gb
          and (rs.container_runtime or not head.requires_container_runtime)
        order by rs.radiator_id
        limit ${SIZE.batchRadiators}
        for update of rs skip locked
      ), slots as materialized (
        select rads.radiator_id, row_number() over (order by rads.radiator_id, s.n) as slot
        from rads, generate_series(1, rads.free) as s(n)
      ), picked as materialized (
        select i.id, i.attempt_count, i.queued_at
        from instances i cross join head
        where i.state = 'queued' and i.priority_class = head.priority_class and i.organization_id = head.organization_id
          and i.cores_needed = 1 and i.min_cores <= head.min_cores and i.min_ram_gb <= head.min_ram_gb
          and (head.requires_container_runtime or not i.requires_container_runtime)
        order by i.queued_at, i.id
        limit (select count(*) from slots)
        for update of i skip locked
      ), pairs as materialized (
        select p.id, p.attempt_count, s.radiator_id
        from (select id, attempt_count, row_number() over (order by queued_at, id) as slot from picked) p
        join slots s using (slot)
      ), attempts as (
        insert into instance_attempts (instance_id, radiator_id, attempt_number, cores_assigned, state, dispatched_at)
        select id, radiator_id, attempt_count + 1, 1, 'dispatched', ${now.toISOString()} from pairs
      ), dispatched as (
        update instances i set state = 'dispatched', radiator_id = pairs.radiator_id,
          attempt_count = i.attempt_count + 1, progress_pct = null
        from pairs where i.id = pairs.id
        returning i.id
      ), filled as (
        update radiator_states rs set cores_assigned = rs.cores_assigned + c.n, current_organization_id = head.organization_id
        from (select radiator_id, count(*)::int as n from pairs group by radiator_id) c, head
        where rs.radiator_id = c.radiator_id
      )
      select count(*)::int as n from dispatched`;
    assigned += row!.n;
    if (row!.n === 0) break;
  }
  return { ms: performance.now() - t0, assigned, batches };
}

async function benchDispatch(db: Db, pdb: Db, sql: postgres.Sql, fleet: Fleet) {
  say(`dispatch: ${QUEUED} queued 1-core instances onto ${RADIATORS} radiators wanting ${SIZE.coresWanted} cores each`);
  await queueWork(db, sql, fleet);

  const baseRuns: Awaited<ReturnType<typeof runBaseline>>[] = [];
  const runs: Awaited<ReturnType<typeof runScheduler>>[] = [];
  for (let i = 1; i <= RUNS; i++) {
    await resetDispatch(sql);
    const base = await runBaseline(sql);
    await checkDispatch(sql, "the baseline");
    baseRuns.push(base);

    await resetDispatch(sql);
    const run = await runScheduler(pdb);
    await checkDispatch(sql, "assignWork");
    runs.push(run);
    say(
      `  run ${i}/${RUNS}: baseline (bare SQL) ${seconds(base.ms)} in ${base.batches} statements, ` +
        `assignWork ${seconds(run.ms)} in ${run.calls} calls; both checked`,
    );
  }

  const base = median(baseRuns);
  const run = median(runs);
  const value = QUEUED / (run.ms / 1000);
  const baseline = QUEUED / (base.ms / 1000);
  const ratio = value / baseline;
  say(`  where assignWork's time goes, median run (${transactionSummary(run.profile.transactions)}):`);
  for (const line of profileLines(run.profile, run.ms)) say(`    ${line}`);
  if (ratio < 0.5 || value < 500) {
    say(`  NOTE: below the goal (ratio ≥ 0.5 and ≥ 500 instances/s); the statements above are where the time goes`);
  }
  emit({
    name: "dispatch",
    value: round(value),
    unit: "instances/s",
    baseline: round(baseline),
    ratio: round(ratio, 3),
    radiators: RADIATORS,
    cores_wanted: RADIATORS * SIZE.coresWanted,
    queued: QUEUED,
    assigned: run.assigned,
    seconds: round(run.ms / 1000, 3),
    baseline_seconds: round(base.ms / 1000, 3),
    runs: RUNS,
    seconds_per_run: runs.map((r) => round(r.ms / 1000, 3)),
    baseline_seconds_per_run: baseRuns.map((r) => round(r.ms / 1000, 3)),
    calls: run.calls,
    transactions: run.profile.transactions.length,
    baseline_statements: base.batches,
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 2. ingest

type ReportModule = typeof import("../server/device/report");
type ProtocolModule = typeof import("../server/device/protocol");

/** The device protocol, loaded only now: dispatch is measured even if it does not load. */
async function loadDeviceProtocol(): Promise<{ report: ReportModule; protocol: ProtocolModule }> {
  try {
    return { report: await import("../server/device/report"), protocol: await import("../server/device/protocol") };
  } catch (err) {
    throw new Error(`ingest: cannot load server/device/report.ts or protocol.ts: ${message(err)}`);
  }
}

type IngestReport = { gatewayId: string; body: unknown };

/**
 * Reports of every gateway, round by round: seq 1, 2, …; each radiator's readings one minute
 * apart, ending now; meters counting up 25 Wh a minute.
 */
function buildReports(fleet: Fleet, firstReadingMs: number): IngestReport[] {
  const reports: IngestReport[] = [];
  for (let k = 0; k < SIZE.reportRounds; k++) {
    for (const gateway of fleet.gateways) {
      const lastMinute = (k + 1) * SIZE.readingsPerRadiator - 1;
      reports.push({
        gatewayId: gateway.id,
        body: {
          protocolVersion: 1,
          seq: k + 1,
          sentAt: new Date(firstReadingMs + lastMinute * 60_000 + 5_000).toISOString(),
          radiators: gateway.serials.map((serial, r) => ({
            serial,
            readings: Array.from({ length: SIZE.readingsPerRadiator }, (_, j) => {
              const minute = k * SIZE.readingsPerRadiator + j;
              return {
                at: new Date(firstReadingMs + minute * 60_000).toISOString(),
                roomTempC: 19 + ((r + minute) % 20) / 10,
                setpointC: 20,
                powerW: 1400 + (minute % 5) * 20,
                energyCounterWh: 1_000 + (minute + 1) * 25,
                coresActive: 10,
                coresWanted: SIZE.coresWanted,
              };
            }),
          })),
          events: [],
        },
      });
    }
  }
  return reports;
}

/** An idle fleet (no work, empty queue), telemetry tables empty, every radiator last heard just before the first reading. */
async function resetIngest(sql: postgres.Sql, firstReadingMs: number) {
  await sql`truncate instances, instance_attempts, telemetry_readings, telemetry_hourly, gateway_reports restart identity cascade`;
  await sql`
    update radiator_states set cores_assigned = 0, current_organization_id = null, cores_active = 0, cores_wanted = 0,
      last_reading_at = ${new Date(firstReadingMs - 60_000).toISOString()}, energy_counter_wh = 1000, power_w = 0`;
  await settle(sql, ["telemetry_readings", "telemetry_hourly", "gateway_reports", "energy_allocations", "radiator_states", "radiators", "gateways"]);
}

type ReadingRow = {
  radiator_id: string;
  recorded_at: string;
  room_temp_c: number;
  setpoint_c: number;
  power_w: number;
  energy_counter_wh: number;
  cores_active: number;
  cores_wanted: number;
};

/** The baseline: each report's readings as one bare multi-row INSERT (1,000 rows), one after the other. */
async function runBareInsert(sql: postgres.Sql, batches: ReadingRow[][]) {
  const t0 = performance.now();
  for (const rows of batches) {
    await sql`insert into telemetry_readings ${sql(rows, "radiator_id", "recorded_at", "room_temp_c", "setpoint_c", "power_w", "energy_counter_wh", "cores_active", "cores_wanted")}`;
  }
  return performance.now() - t0;
}

/** Every report through `handleReport`, one after the other, as its gateway would send it. */
async function runHandleReport(
  pdb: Db,
  handleReport: ReportModule["handleReport"],
  reports: Array<{ gatewayId: string; report: Parameters<ReportModule["handleReport"]>[2] }>,
) {
  profiler.start();
  const t0 = performance.now();
  for (const { gatewayId, report } of reports) {
    const response = await handleReport(pdb, gatewayId, report, new Date());
    if (response.seq !== report.seq) throw new Error(`handleReport answered seq ${response.seq} to seq ${report.seq}`);
  }
  const ms = performance.now() - t0;
  return { ms, profile: profiler.stop() };
}

async function checkIngest(sql: postgres.Sql, readings: number, reports: number, lastReadingMs: number) {
  const [c] = await sql<Record<"readings" | "hourly" | "energy" | "idle" | "ledger" | "reports" | "current", number>[]>`
    select
      (select count(*) from telemetry_readings)::int as readings,
      (select coalesce(sum(reading_count), 0) from telemetry_hourly)::int as hourly,
      (select coalesce(sum(energy_wh), 0) from telemetry_hourly)::int as energy,
      (select coalesce(sum(idle_energy_wh), 0) from telemetry_hourly)::int as idle,
      (select count(*) from energy_allocations)::int as ledger,
      (select count(*) from gateway_reports)::int as reports,
      (select count(*) from radiator_states where last_reading_at = ${new Date(lastReadingMs).toISOString()})::int as current`;
  const problems = [
    c!.readings !== readings && `${c!.readings} of ${readings} readings stored`,
    c!.hourly !== readings && `the hourly rollup counts ${c!.hourly} readings`,
    // Every reading closes a 25 Wh delta, all of it idle heat on a fleet with no work.
    c!.energy !== readings * 25 && `${c!.energy} of ${readings * 25} Wh metered`,
    c!.idle !== c!.energy && `${c!.idle} of ${c!.energy} Wh metered as idle`,
    c!.ledger !== 0 && `${c!.ledger} ledger lines for a fleet with no work`,
    c!.reports !== reports && `${c!.reports} of ${reports} reports recorded`,
    c!.current !== RADIATORS && `${c!.current} of ${RADIATORS} radiator states at the last reading`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`ingest through handleReport is wrong: ${problems.join("; ")}`);
}

async function benchIngest(pdb: Db, sql: postgres.Sql, fleet: Fleet) {
  const { report: reportModule, protocol } = await loadDeviceProtocol();
  const readingsPerReport = RADIATORS_PER_GATEWAY * SIZE.readingsPerRadiator;
  const minutes = SIZE.reportRounds * SIZE.readingsPerRadiator;
  // The last reading one minute ago, on a whole minute.
  const firstReadingMs = Math.floor(Date.now() / 60_000) * 60_000 - minutes * 60_000;
  const lastReadingMs = firstReadingMs + (minutes - 1) * 60_000;
  const raw = buildReports(fleet, firstReadingMs);
  const readings = raw.length * readingsPerReport;
  say(`ingest: ${raw.length} reports × ${readingsPerReport} readings = ${readings} readings from ${SIZE.gateways} gateways`);

  // Validated as the HTTP route would; timed for context, not part of the figure.
  const p0 = performance.now();
  const reports = raw.map((r) => ({ gatewayId: r.gatewayId, report: protocol.reportSchema.parse(r.body) }));
  const parseMs = performance.now() - p0;

  const radiatorIds = new Map(
    (await sql<{ id: string; serial: string }[]>`select id, serial from radiators`).map((r) => [r.serial, r.id]),
  );
  const rows: ReadingRow[][] = reports.map(({ report }) =>
    report.radiators.flatMap((rad) =>
      rad.readings.map((r) => ({
        radiator_id: radiatorIds.get(rad.serial)!,
        recorded_at: r.at,
        room_temp_c: r.roomTempC,
        setpoint_c: r.setpointC,
        power_w: r.powerW,
        energy_counter_wh: r.energyCounterWh,
        cores_active: r.coresActive,
        cores_wanted: r.coresWanted,
      })),
    ),
  );

  const baseRuns: Array<{ ms: number }> = [];
  const runs: Array<{ ms: number; profile: Profile }> = [];
  for (let i = 1; i <= RUNS; i++) {
    await resetIngest(sql, firstReadingMs);
    const base = { ms: await runBareInsert(sql, rows) };
    baseRuns.push(base);

    await resetIngest(sql, firstReadingMs);
    const run = await runHandleReport(pdb, reportModule.handleReport, reports);
    await checkIngest(sql, readings, reports.length, lastReadingMs);
    runs.push(run);
    say(`  run ${i}/${RUNS}: baseline (bare multi-row INSERT) ${seconds(base.ms)}, handleReport ${seconds(run.ms)}; checked`);
  }

  const baseMs = median(baseRuns).ms;
  const run = median(runs);
  const ms = run.ms;
  const value = readings / (ms / 1000);
  const baseline = readings / (baseMs / 1000);
  const ratio = value / baseline;
  say(`  where handleReport's time goes, median run (${transactionSummary(run.profile.transactions)}):`);
  for (const line of profileLines(run.profile, ms)) say(`    ${line}`);
  say(`  (zod reportSchema.parse, not counted: ${seconds(parseMs)} for all reports, ${round(readings / (parseMs / 1000))} readings/s)`);
  if (ratio < 0.5 || value < 20_000) {
    say(`  NOTE: below the goal (ratio ≥ 0.5 and ≥ 20,000 readings/s); the statements above are where the time goes`);
  }
  emit({
    name: "ingest",
    value: round(value),
    unit: "readings/s",
    baseline: round(baseline),
    ratio: round(ratio, 3),
    gateways: SIZE.gateways,
    radiators: RADIATORS,
    reports: reports.length,
    readings,
    readings_per_report: readingsPerReport,
    seconds: round(ms / 1000, 3),
    baseline_seconds: round(baseMs / 1000, 3),
    runs: RUNS,
    seconds_per_run: runs.map((r) => round(r.ms / 1000, 3)),
    baseline_seconds_per_run: baseRuns.map((r) => round(r.ms / 1000, 3)),
    parse_seconds: round(parseMs / 1000, 3),
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// 4. fairness

const FAIRNESS = {
  /** The heavy customer's queue: tasks of 100,000 instances (10,000 with --quick). */
  bigTasks: 4,
  bigTaskInstances: quick ? 10_000 : 100_000,
  /** compute.task calls per round, as a page that shows 50 tasks would make them. */
  taskCalls: 50,
  logChunks: quick ? 500 : 2_000,
  logChunkChars: 1_000,
  /** The other customer's requests: sequential, for this long with each load. */
  windowMs: quick ? 8_000 : 20_000,
  goalMs: 100,
  goalFactor: 3,
};

type Handler = (request: Request) => Promise<Response>;

/**
 * The web's own request handlers, loaded only now and on the bench database: the REST route
 * exactly as Next mounts it, and the tRPC handler with the heavy customer signed in.
 */
async function loadWebHandlers(url: string, user: SessionUser): Promise<{ rest: Handler; trpc: Handler }> {
  process.env.DATABASE_URL = url;
  const restRoute = await import("../app/api/v1/[[...path]]/route");
  const { handleTrpcRequest } = await import("../server/api/http");
  const { getDb, getReadDb } = await import("../server/db/client");
  // As app/api/trpc/[trpc]/route.ts does, the session aside: queries (GET) on the read pool.
  const trpc: Handler = (req) => handleTrpcRequest(req, async () => ({ db: req.method === "GET" ? getReadDb() : getDb(), user }));
  return { rest: restRoute.GET, trpc };
}

async function setupFairness(db: Db, sql: postgres.Sql) {
  const t0 = Date.now();
  const [heavy, other] = await sql<{ id: string }[]>`
    insert into organizations (name, kind) values ('Heavy Customer', 'customer'), ('Other Customer', 'customer') returning id`;
  // The operator granted the heavy customer a quota its queue fits in.
  await sql`insert into customer_quotas (organization_id, max_active_instances) values (${heavy!.id}, 10000000)`;
  const { createApiKey } = await import("../server/services/api-keys");
  const heavyKey = await createApiKey(db, { organizationId: heavy!.id, userId: null, name: "bench heavy" });
  const otherKey = await createApiKey(db, { organizationId: other!.id, userId: null, name: "bench other" });
  const bigTaskIds: string[] = [];
  for (let t = 0; t < FAIRNESS.bigTasks; t++) {
    const task = await createTask(db, { organizationId: heavy!.id, profileName: "monte-carlo", name: `big ${t + 1}`, instanceCount: FAIRNESS.bigTaskInstances });
    bigTaskIds.push(task.id);
  }
  const smallTaskIds: string[] = [];
  for (let t = 0; t < FAIRNESS.taskCalls; t++) {
    const task = await createTask(db, { organizationId: heavy!.id, profileName: "monte-carlo", name: `small ${t + 1}`, instanceCount: 10 });
    smallTaskIds.push(task.id);
  }
  for (let t = 0; t < 20; t++) {
    await createTask(db, { organizationId: other!.id, profileName: "monte-carlo", name: `other ${t + 1}`, instanceCount: 5 });
  }
  // A task whose one instance ran on a radiator and wrote a large log.
  const logTask = await createTask(db, { organizationId: heavy!.id, profileName: "monte-carlo", name: "chatty", instanceCount: 1 });
  const [landlord] = await sql<{ id: string }[]>`insert into organizations (name, kind) values ('Fair Landlord', 'landlord') returning id`;
  const [hardware] = await sql<{ id: string }[]>`
    insert into hardware_models (name, max_power_w, cores, ram_gb) values ('fair-qrad', 1000, 16, 32) returning id`;
  const [site] = await sql<{ id: string }[]>`
    insert into sites (organization_id, name, city, climate_zone, kind) values (${landlord!.id}, 'Fair site', 'Paris', 'H1a', 'housing') returning id`;
  const [building] = await sql<{ id: string }[]>`
    insert into buildings (site_id, name, address) values (${site!.id}, 'Fair building', '1 rue Juste, Paris') returning id`;
  const [dwelling] = await sql<{ id: string }[]>`
    insert into dwellings (building_id, label, floor) values (${building!.id}, 'D-001', 0) returning id`;
  const [room] = await sql<{ id: string }[]>`
    insert into rooms (building_id, dwelling_id, name, area_m2) values (${building!.id}, ${dwelling!.id}, 'Room', 12) returning id`;
  await sql`insert into room_heating (room_id, mode, comfort_c, eco_c, programme) values (${room!.id}, 'comfort', 20, 17, '[]')`;
  const [gateway] = await sql<{ id: string }[]>`
    insert into gateways (serial, building_id, firmware_version) values ('FAIR-GW-1', ${building!.id}, '1.0.0') returning id`;
  const [radiator] = await sql<{ id: string }[]>`
    insert into radiators (serial, gateway_id, room_id, hardware_model_id, installed_on)
    values ('FAIR-RAD-1', ${gateway!.id}, ${room!.id}, ${hardware!.id}, date '2025-10-01') returning id`;
  const [attempt] = await sql<{ id: number; instance_id: number }[]>`
    insert into instance_attempts (instance_id, radiator_id, attempt_number, cores_assigned, state, dispatched_at, started_at)
    select i.id, ${radiator!.id}, 1, 1, 'running', now(), now() from instances i where i.task_id = ${logTask.id}
    returning id, instance_id`;
  await sql`update instances set state = 'running', attempt_count = 1 where id = ${attempt!.instance_id}`;
  await sql`
    insert into instance_logs (instance_id, attempt_id, stream, chunk_seq, content)
    select ${attempt!.instance_id}, ${attempt!.id}, 'stdout', n, repeat('x', ${FAIRNESS.logChunkChars - 1}::int) || chr(10)
    from generate_series(1, ${FAIRNESS.logChunks}::int) n`;
  await sql`vacuum analyze`;
  const queued = FAIRNESS.bigTasks * FAIRNESS.bigTaskInstances + FAIRNESS.taskCalls * 10;
  say(`fairness: heavy customer with ${queued} queued instances, a log of ${FAIRNESS.logChunks} chunks; set up in ${seconds(Date.now() - t0)}`);
  const user: SessionUser = { id: randomUUID(), email: "heavy@bench.test", name: "Heavy", role: "customer", organizationId: heavy!.id, organizationName: "Heavy Customer" };
  return { user, heavyKey: heavyKey.key, otherKey: otherKey.key, bigTaskIds, smallTaskIds, logTaskId: logTask.id, queued };
}

/** A batched tRPC GET of `procedure` once per input, as httpBatchLink sends queries. */
function trpcBatch(procedure: string, inputs: unknown[]): Request {
  const input = Object.fromEntries(inputs.map((json, k) => [String(k), { json }]));
  const path = inputs.map(() => procedure).join(",");
  return new Request(`http://bench.local/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
}

async function benchFairness(url: string, db: Db, sql: postgres.Sql) {
  const setup = await setupFairness(db, sql);
  const web = await loadWebHandlers(url, setup.user);
  const rest = (key: string, path: string) => web.rest(new Request(`http://bench.local/api/v1${path}`, { headers: { Authorization: key } }));
  const statuses = new Map<string, number>();
  const count = (what: string, status: number) => statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);

  /** The other customer lists its tasks, one request after the other, for the window. */
  const sample = async () => {
    const ms: number[] = [];
    const until = performance.now() + FAIRNESS.windowMs;
    while (performance.now() < until || ms.length < 5) {
      const started = performance.now();
      const res = await rest(setup.otherKey, "/tasks");
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`the other customer's GET /tasks answered ${res.status}`);
      ms.push(performance.now() - started);
      await sleep(20);
    }
    return ms;
  };

  await sample(); // warm up the handlers and the caches
  const unloaded = await sample();

  let stop = false;
  const loop = async (what: string, work: () => Promise<Response[]>) => {
    while (!stop) {
      for (const res of await work()) {
        await res.arrayBuffer();
        count(what, res.status);
      }
    }
  };
  // As the portal's client sends them: at most `batch` calls per HTTP request, the requests at once.
  const batch = TRPC_MAX_BATCH_CALLS;
  const chunks: string[][] = [];
  for (let k = 0; k < setup.smallTaskIds.length; k += batch) chunks.push(setup.smallTaskIds.slice(k, k + batch));
  const load = [
    loop("compute.task batch", () => Promise.all(chunks.map((ids) => web.trpc(trpcBatch("compute.task", ids.map((taskId) => ({ taskId }))))))),
    loop("instanceGrid+task", async () => [
      await web.trpc(trpcBatch("compute.instanceGrid", [{ taskId: setup.bigTaskIds[0] }])),
      await web.trpc(trpcBatch("compute.task", [{ taskId: setup.bigTaskIds[1] }])),
    ]),
    loop("stdout", async () => [await rest(setup.heavyKey, `/tasks/${setup.logTaskId}/stdout`)]),
  ];
  await sleep(500);
  const loaded = await sample();
  stop = true;
  await Promise.all(load);

  const unloadedP95 = percentile(unloaded, 0.95);
  const loadedP95 = percentile(loaded, 0.95);
  const ratio = unloadedP95 / loadedP95;
  say(`  the other customer's GET /api/v1/tasks: p95 ${unloadedP95.toFixed(1)} ms alone (${unloaded.length} requests), ${loadedP95.toFixed(1)} ms under load (${loaded.length} requests)`);
  say(`  the heavy customer's answers: ${[...statuses].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
  if (loadedP95 > FAIRNESS.goalMs || loadedP95 > FAIRNESS.goalFactor * unloadedP95) {
    say(`  NOTE: below the goal (loaded p95 under ${FAIRNESS.goalMs} ms and within ${FAIRNESS.goalFactor}× of unloaded)`);
  }
  emit({
    name: "fairness",
    value: round(ratio, 3),
    unit: "unloaded p95 / loaded p95",
    baseline: 1,
    ratio: round(ratio, 3),
    loaded_p95_ms: round(loadedP95, 1),
    unloaded_p95_ms: round(unloadedP95, 1),
    loaded_max_ms: round(Math.max(...loaded), 1),
    loaded_requests: loaded.length,
    unloaded_requests: unloaded.length,
    heavy_queued: setup.queued,
    heavy_answers: Object.fromEntries(statuses),
    goal: `loaded p95 < ${FAIRNESS.goalMs} ms and ≤ ${FAIRNESS.goalFactor}× unloaded`,
  });
}

// ---------------------------------------------------------------------------------------------
// 3. simulate

/** The simulator's goal: 10,000 radiators at 60× real time. */
const SIMULATE_GOAL = 10_000;

async function benchSimulate() {
  const { syntheticFleet } = await import("../server/sim/synthetic");
  const { World } = await import("../server/sim/world");
  const { stepRoomInPlace } = await import("../server/domain/thermal");
  const radiators = SIZE.simRadiators;
  const minutes = SIZE.simMinutes;
  const fleet = syntheticFleet(radiators);
  // Mid-January: thermostats busy, households up and about, outages on (the default schedule).
  const startMs = Date.parse("2026-01-15T06:00:00Z");
  say(`simulate: ${radiators} synthetic radiators × ${minutes} simulated minutes, 1-minute steps, one thread`);

  // Built outside the measurement: construction (steppers, households) happens once per process.
  const freshWorld = () => new World(fleet, { seed: 1, startMs });

  const runWorld = () => {
    const world = freshWorld();
    const metersBefore = world.radiators.map((r) => r.energyWh);
    const t0 = performance.now();
    for (let m = 0; m < minutes; m++) {
      world.sample(startMs + m * 60_000);
      world.integrate();
    }
    const ms = performance.now() - t0;
    // Checked: most meters moved (a radiator whose breaker reset restarts at 0), temperatures
    // stayed physical, heat was wanted.
    const moved = world.radiators.filter((r, i) => r.energyWh > metersBefore[i]!).length;
    const wanted = world.radiators.reduce((a, r) => a + r.coresWanted, 0);
    const temps = world.rooms.map((r) => r.state.airC);
    if (moved < radiators * 0.9 || wanted <= 0 || temps.some((t) => !(t > -30 && t < 60))) {
      throw new Error(`simulate: implausible state after the run (${moved} meters moved, ${wanted} cores wanted)`);
    }
    return { ms };
  };

  const runBaseline = () => {
    const world = freshWorld();
    const rooms = world.rooms.map((room) => ({
      stepper: room.stepper,
      state: room.state,
      inputs: { outdoorTempC: 3, radiatorPowerW: 300 * room.radiators.length, gainsW: 80, windowOpen: false },
    }));
    const t0 = performance.now();
    for (let m = 0; m < minutes; m++) {
      for (let i = 0; i < rooms.length; i++) {
        const room = rooms[i]!;
        stepRoomInPlace(room.stepper, room.state, room.inputs);
      }
    }
    const ms = performance.now() - t0;
    if (rooms.some((r) => !Number.isFinite(r.state.airC))) throw new Error("simulate: the baseline diverged");
    return { ms };
  };

  // A run of each to warm the JIT, not counted.
  runWorld();
  runBaseline();
  const runs: Array<{ ms: number }> = [];
  const baseRuns: Array<{ ms: number }> = [];
  for (let i = 1; i <= RUNS; i++) {
    const base = runBaseline();
    baseRuns.push(base);
    const run = runWorld();
    runs.push(run);
    say(`  run ${i}/${RUNS}: baseline (thermal step only) ${seconds(base.ms)}, simulator physics ${seconds(run.ms)}; checked`);
  }
  const radiatorMinutes = radiators * minutes;
  const run = median(runs);
  const base = median(baseRuns);
  const value = radiatorMinutes / (run.ms / 1000);
  const baseline = radiatorMinutes / (base.ms / 1000);
  const ratio = value / baseline;
  const realTimeFactor = (value / radiators) * 60;
  if (value < SIMULATE_GOAL) say(`  NOTE: below the goal of ${SIMULATE_GOAL} radiator-minutes/s`);
  emit({
    name: "simulate",
    value: round(value),
    unit: "radiator-minutes/s",
    baseline: round(baseline),
    ratio: round(ratio, 3),
    goal: SIMULATE_GOAL,
    meets_goal: value >= SIMULATE_GOAL,
    radiators,
    simulated_minutes: minutes,
    real_time_factor: round(realTimeFactor),
    seconds: round(run.ms / 1000, 3),
    baseline_seconds: round(base.ms / 1000, 3),
    runs: RUNS,
    seconds_per_run: runs.map((r) => round(r.ms / 1000, 3)),
    baseline_seconds_per_run: baseRuns.map((r) => round(r.ms / 1000, 3)),
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 5. history

const HISTORY = {
  radiators: quick ? 100 : 1_000,
  /** The year of rollups: the last whole year, and the views' anchor in its December. */
  year: new Date().getUTCFullYear() - 1,
  samples: quick ? 60 : 200,
  goalMs: 50,
  goalFactor: 2,
};

async function benchHistory(db: Db, sql: postgres.Sql) {
  const t0 = Date.now();
  const year = HISTORY.year;
  // A year of hourly rollups for the first radiators, a winter's heating shape, and the daily
  // rollups as the engine's job makes them (sums of the hours by Paris day).
  await sql`truncate telemetry_hourly, telemetry_daily, outdoor_temperatures, outdoor_daily`;
  await sql`
    insert into telemetry_hourly (radiator_id, hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w,
      max_power_w, cores_active_sum, cores_wanted_sum, energy_wh, idle_energy_wh, idle_core_seconds, rolled_up)
    select r.id, h, 60, 60 * (19 + x.w), 1200, 60 * x.p, x.p, 60 * 8, 60 * 8, x.p, x.p / 2, 1800, true
    from (select id from radiators order by serial limit ${HISTORY.radiators}) r,
      generate_series(make_timestamptz(${year}, 1, 1, 0, 0, 0, 'UTC') - interval '1 hour',
        make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'UTC'), interval '1 hour') h,
      lateral (select 0.5 + 0.5 * cos(extract(doy from h) / 365.0 * 2 * pi()) as w) y,
      lateral (select y.w as w, (100 + 800 * y.w)::int as p) x`;
  await sql`
    insert into telemetry_daily (radiator_id, day, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w,
      cores_active_sum, energy_wh, idle_energy_wh)
    select radiator_id, (hour_start at time zone 'Europe/Paris')::date, sum(reading_count), sum(room_temp_sum_c),
      sum(setpoint_sum_c), sum(power_sum_w), sum(cores_active_sum), sum(energy_wh), sum(idle_energy_wh)
    from telemetry_hourly group by 1, 2`;
  const [site] = await sql<{ id: string }[]>`select id from sites limit 1`;
  await sql`
    insert into outdoor_temperatures (site_id, hour_start, temp_c, source)
    select ${site!.id}, h, 11 - 7 * cos(extract(doy from h) / 365.0 * 2 * pi()), 'bench'
    from generate_series(make_timestamptz(${year}, 1, 1, 0, 0, 0, 'UTC') - interval '1 hour',
      make_timestamptz(${year + 1}, 1, 1, 0, 0, 0, 'UTC'), interval '1 hour') h`;
  await sql`
    insert into outdoor_daily (site_id, day, temp_sum_c, hours)
    select site_id, (hour_start at time zone 'Europe/Paris')::date, sum(temp_c), count(*) from outdoor_temperatures group by 1, 2`;
  await sql`analyze telemetry_hourly, telemetry_daily, outdoor_temperatures, outdoor_daily`;
  const [counts] = await sql<{ hours: number; days: number }[]>`
    select (select count(*) from telemetry_hourly)::int as hours, (select count(*) from telemetry_daily)::int as days`;
  // A room of the middle radiator, and its flat.
  const [room] = await sql<{ roomId: string; dwellingId: string; radiatorId: string }[]>`
    select ro.id as "roomId", ro.dwelling_id as "dwellingId", r.id as "radiatorId"
    from (select id, room_id from radiators order by serial limit ${HISTORY.radiators}) r join rooms ro on ro.id = r.room_id
    order by r.id offset ${Math.floor(HISTORY.radiators / 2)} limit 1`;
  say(`history: ${counts!.hours} hourly and ${counts!.days} daily rollups of ${HISTORY.radiators} radiators, ${year}, filled in ${seconds(Date.now() - t0)}`);

  const anchor = `${year}-12-10`;
  const ranges = ["day", "week", "month", "year"] as const;
  // The same rows, read bare: the radiator's and the site's hours for a day or a week, their days for a month or a year.
  const bare = (range: (typeof ranges)[number]) => {
    const period = historyPeriod(range, anchor)!;
    const [from, to] = [period.startDate, period.endDate];
    const fromAt = sql`(${from}::date::timestamp at time zone 'Europe/Paris')`;
    const toAt = sql`(${to}::date::timestamp at time zone 'Europe/Paris')`;
    const rollups =
      range === "day" || range === "week"
        ? sql`select hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w, energy_wh from telemetry_hourly
            where radiator_id = ${room!.radiatorId} and hour_start >= ${fromAt} and hour_start < ${toAt}`
        : sql`select day, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w, energy_wh from telemetry_daily
            where radiator_id = ${room!.radiatorId} and day >= ${from}::date and day < ${to}::date`;
    const outdoor =
      range === "day" || range === "week"
        ? sql`select hour_start, temp_c from outdoor_temperatures where site_id = ${site!.id} and hour_start >= ${fromAt} and hour_start < ${toAt}`
        : sql`select day, temp_sum_c, hours from outdoor_daily where site_id = ${site!.id} and day >= ${from}::date and day < ${to}::date`;
    return async () => {
      await rollups;
      await outdoor;
    };
  };
  const figures: Record<string, { ours: number; bare: number; points: number }> = {};
  for (const range of ranges) {
    const ours: number[] = [];
    const base: number[] = [];
    let points = 0;
    for (let i = 0; i < HISTORY.samples + 5; i++) {
      const b0 = performance.now();
      await bare(range)();
      const b1 = performance.now();
      const answer = await roomHistory(db, { dwellingId: room!.dwellingId, roomId: room!.roomId, range, anchor });
      const o1 = performance.now();
      if (i < 5) continue; // warm-up
      base.push(b1 - b0);
      ours.push(o1 - b1);
      points = answer.points.length;
      if (answer.points.every((p) => p.energyWh === 0) || answer.points.some((p) => p.outdoorTempC === null)) {
        throw new Error(`history: the ${range} view misses rollups or outdoor temperatures`);
      }
    }
    figures[range] = { ours: percentile(ours, 0.95), bare: percentile(base, 0.95), points };
    say(`  ${range}: ${points} points, p95 ${figures[range].ours.toFixed(1)} ms; bare SQL p95 ${figures[range].bare.toFixed(1)} ms`);
  }
  const yearFigure = figures.year!;
  const ratio = yearFigure.bare / yearFigure.ours;
  if (yearFigure.ours > HISTORY.goalMs || yearFigure.ours > HISTORY.goalFactor * yearFigure.bare) {
    say(`  NOTE: below the goal (year view p95 under ${HISTORY.goalMs} ms and within ${HISTORY.goalFactor}× of bare SQL)`);
  }
  emit({
    name: "history",
    value: round(ratio, 3),
    unit: "bare SQL p95 / history p95 (year view)",
    baseline: 1,
    ratio: round(ratio, 3),
    ...Object.fromEntries(
      ranges.flatMap((r) => [
        [`${r}_p95_ms`, round(figures[r]!.ours, 1)],
        [`${r}_bare_p95_ms`, round(figures[r]!.bare, 1)],
        [`${r}_ratio`, round(figures[r]!.bare / figures[r]!.ours, 3)],
        [`${r}_points`, figures[r]!.points],
      ]),
    ),
    radiators: HISTORY.radiators,
    hourly_rollups: counts!.hours,
    daily_rollups: counts!.days,
    samples: HISTORY.samples,
    goal: `year p95 < ${HISTORY.goalMs} ms and ≤ ${HISTORY.goalFactor}× bare SQL`,
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 6. retention

const RETENTION = {
  radiators: quick ? 1_000 : 10_000,
  readingEveryMin: 10,
  /** A month retention has long passed: January of last year. */
  monthStart: `${new Date().getUTCFullYear() - 1}-01-01`,
  monthEnd: `${new Date().getUTCFullYear() - 1}-02-01`,
};

async function benchRetention(db: Db, sql: postgres.Sql) {
  const name = `telemetry_readings_${RETENTION.monthStart.slice(0, 4)}01`;
  const from = `${RETENTION.monthStart}T00:00:00Z`;
  const to = `${RETENTION.monthEnd}T00:00:00Z`;
  // The month's readings of the radiators: into `table`.
  const fill = (table: string) => sql`
    insert into ${sql(table)} (radiator_id, recorded_at, room_temp_c, setpoint_c, power_w, energy_counter_wh, cores_active, cores_wanted)
    select r.id, t, 19.5, 20, 400, 1000, 4, 4
    from (select id from radiators order by serial limit ${RETENTION.radiators}) r,
      generate_series(${from}::timestamptz, ${to}::timestamptz - interval '1 minute', ${`${RETENTION.readingEveryMin} minutes`}::interval) t`;
  const baseRuns: Array<{ ms: number }> = [];
  const runs: Array<{ ms: number }> = [];
  let rows = 0;
  for (let i = 1; i <= RUNS; i++) {
    const t0 = Date.now();
    await sql`drop table if exists retention_baseline`;
    await sql`create table retention_baseline (like telemetry_readings including defaults, primary key (radiator_id, recorded_at))`;
    await fill("retention_baseline");
    await sql.unsafe(`create table if not exists "${name}" partition of telemetry_readings for values from ('${from}') to ('${to}')`);
    await fill("telemetry_readings");
    await sql`checkpoint`;
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(name)}`;
    rows = count!.n;
    if (i === 1) say(`retention: ${rows} readings of ${RETENTION.radiators} radiators in ${name} and in a plain table (filled in ${seconds(Date.now() - t0)})`);

    const b0 = performance.now();
    await sql`drop table retention_baseline`;
    const base = { ms: performance.now() - b0 };
    const o0 = performance.now();
    const dropped = await dropExpiredTelemetryPartitions(db, { retentionDays: 60 });
    const run = { ms: performance.now() - o0 };
    const [left] = await sql<{ n: number }[]>`select count(*)::int as n from telemetry_readings where recorded_at >= ${from} and recorded_at < ${to}`;
    if (!dropped.includes(name) || left!.n !== 0) throw new Error(`retention: ${name} was not dropped (${dropped.join(", ")}; ${left!.n} readings left)`);
    baseRuns.push(base);
    runs.push(run);
    say(`  run ${i}/${RUNS}: baseline (bare DROP TABLE) ${base.ms.toFixed(1)} ms, dropExpiredTelemetryPartitions ${run.ms.toFixed(1)} ms; checked`);
  }
  const ms = median(runs).ms;
  const baseMs = median(baseRuns).ms;
  const ratio = baseMs / ms;
  emit({
    name: "retention",
    value: round(ratio, 3),
    unit: "bare DROP TABLE time / our time",
    baseline: 1,
    ratio: round(ratio, 3),
    ms: round(ms, 1),
    baseline_ms: round(baseMs, 1),
    radiators: RETENTION.radiators,
    readings: rows,
    reading_every_min: RETENTION.readingEveryMin,
    runs: RUNS,
    ms_per_run: runs.map((r) => round(r.ms, 1)),
    baseline_ms_per_run: baseRuns.map((r) => round(r.ms, 1)),
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 7. close

const CLOSE = {
  /** A month of last year, priced by the reference tariffs; its hours in Paris are 2025-12-31T23:00Z on. */
  month: `${new Date().getUTCFullYear() - 1}-01-01`,
  whPerHour: 400,
  goal: 0.5,
};

async function benchClose(db: Db, sql: postgres.Sql) {
  const t0 = Date.now();
  const year = Number(CLOSE.month.slice(0, 4));
  // Paris bounds of the month, and a day of hours on either side (the meter before; what follows).
  const from = `${year - 1}-12-31T23:00:00Z`;
  const to = `${year}-01-31T23:00:00Z`;
  await sql`truncate telemetry_hourly, telemetry_daily, refund_statement_lines, refund_payments, refund_statements, refund_closes, refund_enrolments`;
  await sql`
    insert into refund_enrolments (dwelling_id, holder_name, delivery_point, iban_encrypted, iban_masked, consent_at, created_at)
    select id, 'Bench ' || label, '12345678901234', 'sealed', 'FR76 •••• •••• •••• 0189', ${from}::timestamptz, ${from}::timestamptz from dwellings`;
  // Every radiator metered 400 Wh each hour; its counter at the hour's last reading is the sum so far.
  await sql`
    insert into telemetry_hourly (radiator_id, hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w, max_power_w,
      cores_active_sum, cores_wanted_sum, energy_wh, idle_energy_wh, idle_core_seconds, first_counter_wh, last_counter_wh, rolled_up)
    select r.id, h, 4, 80, 80, 1600, 400, 32, 32, ${CLOSE.whPerHour}, ${CLOSE.whPerHour}, 3600,
      n * ${CLOSE.whPerHour} + 100, (n + 1) * ${CLOSE.whPerHour}, true
    from radiators r,
      lateral generate_series(${from}::timestamptz - interval '1 day', ${to}::timestamptz + interval '1 day' - interval '1 hour', interval '1 hour')
        with ordinality as g(h, n)`;
  await sql`vacuum analyze telemetry_hourly`;
  const [counts] = await sql<{ rows: number; radiators: number; dwellings: number }[]>`
    select (select count(*)::int from telemetry_hourly) as rows, (select count(*)::int from radiators) as radiators,
      (select count(*)::int from dwellings) as dwellings`;
  say(`close: ${counts!.rows} hourly rows of ${counts!.radiators} radiators in ${counts!.dwellings} flats (filled in ${seconds(Date.now() - t0)})`);
  const hoursInMonth = (Date.parse(to) - Date.parse(from)) / 3_600_000;
  const expectedWh = counts!.radiators * hoursInMonth * CLOSE.whPerHour;

  // The same rows, summed as bare SQL would: energy and the edge counters per radiator over the month.
  const bare = async () => {
    const rows = await sql<{ energy: string }[]>`
      select sum(a.energy_wh)::text as energy from (
        select radiator_id, sum(energy_wh) as energy_wh, min(first_counter_wh) as first_wh, max(last_counter_wh) as last_wh
        from telemetry_hourly where hour_start >= ${from}::timestamptz and hour_start < ${to}::timestamptz group by radiator_id) a`;
    return Number(rows[0]!.energy);
  };
  const baseRuns: Array<{ ms: number }> = [];
  const runs: Array<{ ms: number }> = [];
  let written = 0;
  for (let i = 1; i <= RUNS; i++) {
    await sql`truncate refund_statement_lines, refund_payments, refund_statements, refund_closes`;
    await settle(sql, ["telemetry_hourly"]);
    const b0 = performance.now();
    const bareWh = await bare();
    baseRuns.push({ ms: performance.now() - b0 });
    const o0 = performance.now();
    const result = await runClose(db, { month: CLOSE.month, userId: null });
    runs.push({ ms: performance.now() - o0 });
    const [check] = await sql<{ statements: number; energy: string; lines: number }[]>`
      select count(*)::int as statements, sum(energy_wh)::text as energy,
        (select count(*)::int from refund_statement_lines) as lines from refund_statements`;
    if (bareWh !== expectedWh || Number(check!.energy) !== expectedWh || check!.statements !== counts!.dwellings || check!.lines !== counts!.radiators) {
      throw new Error(`close: ${check!.statements} statements, ${check!.lines} lines, ${check!.energy} Wh; bare ${bareWh} Wh; expected ${expectedWh} Wh`);
    }
    written = result.statementsWritten;
    say(`  run ${i}/${RUNS}: baseline (bare aggregate) ${seconds(baseRuns.at(-1)!.ms)}, runClose ${seconds(runs.at(-1)!.ms)}; checked`);
  }
  // Closing again writes nothing.
  const again = await runClose(db, { month: CLOSE.month, userId: null });
  if (again.statementsWritten !== 0) throw new Error(`close: a second run wrote ${again.statementsWritten} statements`);
  const ms = median(runs).ms;
  const baseMs = median(baseRuns).ms;
  const ratio = baseMs / ms;
  if (ratio < CLOSE.goal) say(`  NOTE: below the goal of ${CLOSE.goal} (within 2× of the bare aggregate)`);
  emit({
    name: "close",
    value: round(ratio, 3),
    unit: "bare aggregate time / our time",
    baseline: 1,
    ratio: round(ratio, 3),
    goal: CLOSE.goal,
    meets_goal: ratio >= CLOSE.goal,
    ms: round(ms, 1),
    baseline_ms: round(baseMs, 1),
    radiators: counts!.radiators,
    dwellings: counts!.dwellings,
    statements: written,
    hourly_rows: counts!.rows,
    runs: RUNS,
    ms_per_run: runs.map((r) => round(r.ms, 1)),
    baseline_ms_per_run: baseRuns.map((r) => round(r.ms, 1)),
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 9. carbon

const CARBON = {
  instances: quick ? 1_000 : 10_000,
  /** Each instance ran 40 minutes across these two hours, on one core of its own radiator. */
  hours: ["2025-06-15T10:00:00Z", "2025-06-15T11:00:00Z"],
  goalRatio: 0.5,
  goalMs: 200,
  /** A run takes milliseconds: more of them than the other figures' RUNS steady the median. */
  runs: 9,
};

async function benchCarbon(db: Db, sql: postgres.Sql, fleet: Fleet) {
  const t0 = Date.now();
  const organizationId = fleet.customerIds[0]!;
  await sql`truncate tasks, instances, instance_attempts, instance_logs, energy_allocations cascade`;
  const task = await createTask(db, { organizationId, profileName: "monte-carlo", name: "carbon bench", instanceCount: CARBON.instances, now: new Date(CARBON.hours[0]!) });
  const [first, second] = CARBON.hours as [string, string];
  // One succeeded attempt per instance, each on its own radiator, 20 minutes in each hour.
  await sql`
    insert into instance_attempts (instance_id, radiator_id, attempt_number, cores_assigned, state, dispatched_at, started_at, ended_at, core_seconds, energy_wh)
    select i.id, r.id, 1, 1, 'succeeded', ${first}::timestamptz + interval '39 minutes', ${first}::timestamptz + interval '40 minutes',
      ${second}::timestamptz + interval '20 minutes', 2400, 14
    from (select id, row_number() over (order by instance_number) as n from instances where task_id = ${task.id}) i
    join (select id, row_number() over (order by serial) as n from radiators) r on r.n = i.n`;
  await sql`update instances set state = 'succeeded', ended_at = ${second}::timestamptz + interval '20 minutes' where task_id = ${task.id}`;
  // As the report handler writes them: 12 of the 16 running cores wanted for heat, and each row's
  // share of its gateway's 9 Wh an hour by its part of the gateway's 100 radiators' 450 Wh.
  await sql`
    insert into energy_allocations (radiator_id, period_start, period_end, attempt_id, organization_id, core_seconds, energy_wh,
      site_id, wanted_energy_mwh, gateway_energy_mwh, machine_ms)
    select a.radiator_id, h.start, h.start + interval '59 minutes', a.id, ${organizationId}, 1200, h.wh,
      b.site_id, h.wh * 750, round(9000.0 * h.wh / 45000), 1200 * 1000 / hw.cores
    from instance_attempts a
    join radiators r on r.id = a.radiator_id
    join hardware_models hw on hw.id = r.hardware_model_id
    join gateways g on g.id = r.gateway_id
    join buildings b on b.id = g.building_id,
    (values (${first}::timestamptz, 6), (${second}::timestamptz, 8)) h(start, wh)`;
  // The radiators' hours: 16 cores running, 12 of them wanted for heat; the gateways' own meters.
  await sql`
    insert into telemetry_hourly (radiator_id, hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w, max_power_w,
      cores_active_sum, cores_wanted_sum, energy_wh, idle_energy_wh, idle_core_seconds, rolled_up)
    select r.id, h, 12, 240, 240, 6000, 500, 192, 144, 450, 440, 3600, true from radiators r, unnest(array[${first}, ${second}]::timestamptz[]) h
    on conflict (radiator_id, hour_start) do update set cores_active_sum = 192, cores_wanted_sum = 144, energy_wh = 450`;
  await sql`
    insert into gateway_hourly (gateway_id, hour_start, reading_count, energy_wh, first_counter_wh, last_counter_wh, last_reading_at)
    select g.id, h, 12, 9, 0, 9, h + interval '59 minutes' from gateways g, unnest(array[${first}, ${second}]::timestamptz[]) h
    on conflict (gateway_id, hour_start) do nothing`;
  // The grid operator's series has the first hour; the second falls back to the annual factor.
  await sql`delete from grid_intensity_hourly`;
  const [imported] = await sql<{ id: string }[]>`
    insert into grid_intensity_imports (country, source, file_name, hours, first_hour_start, last_hour_start)
    values ('FR', 'bench', 'bench.csv', 1, ${first}, ${first}) returning id`;
  await sql`insert into grid_intensity_hourly (country, hour_start, intensity_mg_per_kwh, import_id) values ('FR', ${first}, 30000, ${imported!.id})`;
  await settle(sql, ["instances", "instance_attempts", "energy_allocations", "telemetry_hourly", "gateway_hourly"]);
  const [counts] = await sql<{ rows: number }[]>`select count(*)::int as rows from energy_allocations`;
  say(`carbon: a finished task of ${CARBON.instances} instances, ${counts!.rows} ledger rows (made in ${seconds(Date.now() - t0)})`);
  const expectedWh = CARBON.instances * 14;

  // The same ledger rows, summed as bare SQL would.
  const bare = async () => {
    const [row] = await sql<{ energy: string }[]>`
      select sum(e.energy_wh)::text as energy from instances i join instance_attempts a on a.instance_id = i.id
        join energy_allocations e on e.attempt_id = a.id where i.task_id = ${task.id}`;
    return Number(row!.energy);
  };
  const baseRuns: Array<{ ms: number }> = [];
  const runs: Array<{ ms: number }> = [];
  for (let i = 1; i <= CARBON.runs; i++) {
    const b0 = performance.now();
    const bareWh = await bare();
    baseRuns.push({ ms: performance.now() - b0 });
    const o0 = performance.now();
    const facts = await workCarbonFacts(db, { organizationId }, { kind: "task", taskId: task.id });
    runs.push({ ms: performance.now() - o0 });
    // 12 of 16 cores wanted: three quarters of the energy is reused heat; one hour from each source.
    if (bareWh !== expectedWh || facts.itEnergyWh !== expectedWh || Math.abs(facts.reusedEnergyWh - expectedWh * 0.75) > 1e-6 || facts.grid.hoursHourly !== 1 || facts.grid.hoursAnnual !== 1) {
      throw new Error(`carbon: ${facts.itEnergyWh} Wh, ${facts.reusedEnergyWh} Wh reused, hours ${JSON.stringify(facts.grid)}; bare ${bareWh} Wh; expected ${expectedWh} Wh`);
    }
    say(`  run ${i}/${CARBON.runs}: baseline (bare sum) ${baseRuns.at(-1)!.ms.toFixed(1)} ms, workCarbonFacts ${runs.at(-1)!.ms.toFixed(1)} ms; checked`);
  }
  const ms = median(runs).ms;
  const baseMs = median(baseRuns).ms;
  const ratio = baseMs / ms;
  const meets = ratio >= CARBON.goalRatio && ms < CARBON.goalMs;
  if (!meets) say(`  NOTE: below the goal (within 2× of the bare sum, under ${CARBON.goalMs} ms)`);
  emit({
    name: "carbon",
    value: round(ratio, 3),
    unit: "bare ledger sum time / our time",
    baseline: 1,
    ratio: round(ratio, 3),
    goal: CARBON.goalRatio,
    goal_ms: CARBON.goalMs,
    meets_goal: meets,
    ms: round(ms, 1),
    baseline_ms: round(baseMs, 1),
    instances: CARBON.instances,
    ledger_rows: counts!.rows,
    runs: CARBON.runs,
    ms_per_run: runs.map((r) => round(r.ms, 1)),
    baseline_ms_per_run: baseRuns.map((r) => round(r.ms, 1)),
    checked: true,
  });
}

// ---------------------------------------------------------------------------------------------
// 8. statement-pdf: pure CPU and a file, no database

async function benchStatementPdf() {
  const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
  const os = await import("node:os");
  const { renderStatementPdf } = await import("../server/services/statement-pdf");
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const { formatEuros } = await import("../server/domain/refund-statements");
  const count = quick ? 20 : 200;
  const statement = benchStatement();
  const dir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-pdf-"));
  try {
    // The baseline's text is the PDF's own, read back: the same words, without the layout.
    const first = await renderStatementPdf(statement, "fr");
    const document = await getDocument({ data: new Uint8Array(first), verbosity: 0 }).promise;
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"));
    }
    await document.destroy();
    const text = pages.join("\n\f");
    const spaced = (t: string) => t.replace(/[\u00a0\u202f]/g, " ");
    const amount = spaced(formatEuros(statement.amountCents, "fr"));
    if (!spaced(text).includes(amount) || !text.includes(statement.ibanMasked)) throw new Error(`statement-pdf: the PDF's text lacks ${amount} or the masked IBAN`);
    say(`statement-pdf: ${count} PDFs of a ${statement.lines.length}-line statement (${first.length} bytes, ${text.length} characters of text)`);

    const baseRuns: Array<{ ms: number }> = [];
    const runs: Array<{ ms: number }> = [];
    for (let i = 1; i <= RUNS; i++) {
      const b0 = performance.now();
      for (let k = 0; k < count; k++) await writeFile(path.join(dir, `statement-${k}.txt`), text);
      baseRuns.push({ ms: performance.now() - b0 });
      const o0 = performance.now();
      for (let k = 0; k < count; k++) await writeFile(path.join(dir, `statement-${k}.pdf`), await renderStatementPdf(statement, "fr"));
      runs.push({ ms: performance.now() - o0 });
      say(`  run ${i}/${RUNS}: baseline (text to a file) ${baseRuns.at(-1)!.ms.toFixed(1)} ms, renderStatementPdf ${runs.at(-1)!.ms.toFixed(1)} ms`);
    }
    const value = count / (median(runs).ms / 1000);
    const baseline = count / (median(baseRuns).ms / 1000);
    emit({
      name: "statement-pdf",
      value: round(value, 1),
      unit: "PDFs/s",
      baseline: round(baseline, 1),
      baseline_unit: "text files/s",
      ratio: round(value / baseline, 4),
      statements: count,
      lines: statement.lines.length,
      pdf_bytes: first.length,
      runs: RUNS,
      ms_per_run: runs.map((r) => round(r.ms, 1)),
      baseline_ms_per_run: baseRuns.map((r) => round(r.ms, 1)),
      checked: true,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A month of a three-room flat: each radiator split at a tariff change, the gateway, an adjustment. */
function benchStatement(): Statement {
  const price = [251_600, 201_600];
  const split = [Date.parse("2025-01-31T23:00:00Z"), Date.parse("2025-02-14T23:00:00Z"), Date.parse("2025-02-28T23:00:00Z")];
  const lines: Statement["lines"] = ["Séjour", "Chambre", "Bureau"].flatMap((roomName, r) =>
    [0, 1].map((p) => {
      const energyWh = 40_000 + 7_919 * (r + 1) + 1_013 * p;
      return {
        position: r * 2 + p,
        kind: "radiator",
        deviceSerial: `QRAD-BENCH-${r + 1}`,
        roomName,
        energyMonth: "2025-02-01",
        periodStart: new Date(split[p]!),
        periodEnd: new Date(split[p + 1]!),
        meterStartWh: 1_000_000 * (r + 1) + 60_000 * p,
        meterEndWh: 1_000_000 * (r + 1) + 60_000 * p + energyWh,
        energyWh,
        tariffVersionId: p + 1,
        priceMicroEurosPerKWh: price[p]!,
        amountCents: Math.round((energyWh * price[p]!) / 1e7),
      };
    }),
  );
  lines.push({ ...lines[0]!, position: 6, kind: "gateway", deviceSerial: "GW-BENCH", roomName: null, energyWh: 2_000, amountCents: 50 });
  lines.push({ ...lines[0]!, position: 7, kind: "adjustment", energyMonth: "2025-01-01", meterStartWh: null, meterEndWh: null, energyWh: 1_500, amountCents: 38 });
  return {
    id: randomUUID(),
    month: "2025-02",
    energyWh: lines.reduce((n, l) => n + l.energyWh, 0),
    amountCents: lines.reduce((n, l) => n + l.amountCents, 0),
    createdAt: new Date("2025-03-03T06:00:00Z"),
    operatorName: "Hearth Operations",
    dwelling: { label: "A-204", buildingName: "Résidence Balard", address: "12 rue Balard", city: "Paris", timeZone: "Europe/Paris" },
    holderName: "Camille Martin",
    ibanMasked: "FR76 •••• •••• •••• 0189",
    lines,
    tariffs: [
      { id: 1, label: "Tarif Bleu Base 6 kVA", effectiveFrom: "2024-02-01", priceMicroEurosPerKWh: price[0]!, source: "CRE, tarif réglementé de vente (TRVE)" },
      { id: 2, label: "Tarif Bleu Base 6 kVA", effectiveFrom: "2025-02-15", priceMicroEurosPerKWh: price[1]!, source: "CRE, tarif réglementé de vente (TRVE)" },
    ],
    payment: { paidOn: "2025-03-07", amountCents: 0, reference: "VIR-BENCH" },
    comparison: { homeWhPerM2: 2_890, buildingWhPerM2: 3_120, dwellings: 12, minimumDwellings: 5 },
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  say(`${quick ? "quick" : "full"} run`);
  // Pure CPU, no database: measured first, away from the database's background work.
  if (only.has("simulate")) await benchSimulate();
  if (only.has("statement-pdf")) await benchStatementPdf();
  if (interrupted || !FIGURES.some((f) => f !== "simulate" && f !== "statement-pdf" && only.has(f))) return;
  await openServer();
  if (interrupted) return;
  const url = await freshDatabase(serverUrl!);
  if (interrupted) return;
  const db = openDb(url);
  const pdb = openProfiledDb(url);
  const sql = db.$client;

  const fleet = await buildFleet(sql);
  if (only.has("dispatch")) await benchDispatch(db, pdb, sql, fleet);
  if (interrupted) return;
  if (only.has("ingest")) await benchIngest(pdb, sql, fleet);
  if (interrupted) return;
  if (only.has("fairness")) {
    // Its own queue: the dispatch figure's work is gone, the fleet stays online and wanting heat.
    await sql`truncate tasks, instances, instance_attempts, instance_logs cascade`;
    await benchFairness(url, db, sql);
  }
  if (interrupted) return;
  if (only.has("history")) await benchHistory(db, sql);
  if (interrupted) return;
  if (only.has("retention")) await benchRetention(db, sql);
  if (interrupted) return;
  if (only.has("close")) await benchClose(db, sql);
  if (interrupted) return;
  if (only.has("carbon")) await benchCarbon(db, sql, fleet);
}

let finishing = false;
async function finish(error?: unknown) {
  if (interrupted || finishing) return; // the signal handler cleans up and exits
  finishing = true;
  if (error) {
    // Connection and database errors (they have a code) speak for themselves; anything else is a bug here.
    const coded = error instanceof Error && "code" in error;
    say(`FAILED: ${error instanceof Error && !coded ? (error.stack ?? error.message) : message(error)}`);
  }
  await cleanup();
  if (interrupted) return;
  say(`${error ? "FAILED" : "done"} in ${seconds(Date.now() - startedAt)}`);
  process.exit(error ? 1 : 0);
}

main().then(
  () => finish(),
  (err) => finish(err),
);
