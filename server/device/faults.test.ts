import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReservedSql } from "postgres";
import { gatewayCredentials } from "@/server/db/schema";
import { radiatorEnergy } from "@/server/services/energy";
import { issueGatewayCredential } from "@/server/services/gateway-credentials";
import { createTask } from "@/server/services/tasks";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { MeteredGateway } from "@/server/test/metered-gateway";
import type { Reading } from "./protocol";

/**
 * Faults under a running device protocol, for real: the app is a child process (tsx) serving the
 * protocol over HTTP against the test database. It is killed with SIGKILL while a report's
 * transaction is open, and its database connections are cut under it; the gateway's retries must
 * be processed exactly once, and the meters must still add up.
 *
 * The report is held inside its transaction without any hook in the app: the test inserts, in a
 * transaction it keeps open, the gateway_reports row the report will record (same gateway and
 * seq). The app's read of that row does not see it (uncommitted), so it processes the report and
 * writes all its telemetry and metering, then waits on the row's unique key when it records its
 * answer: after every write, before the commit.
 */

const db = useTestDb();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HOUR_MS = 3_600_000;
const STEP_MS = 300_000;
/** Radiator i draws this much in each 5-minute step. */
const whPerStep = (i: number) => 30 + 4 * i;

type Child = { process: ChildProcess; origin: string; appName: string; exited: Promise<unknown> };
const children: Child[] = [];

/** Starts the device protocol in a process of its own, its database connections named `appName`. */
async function startApp(appName: string): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/test/device-server.ts"], {
    cwd: root,
    env: { ...process.env, PGAPPNAME: appName },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n")) resolve((JSON.parse(line!) as { origin: string }).origin);
    });
    void exited.then((code) => reject(new Error(`device server exited (${String(code)}): ${stderr}`)));
  });
  const started = { process: child, origin, appName, exited };
  children.push(started);
  return started;
}

async function kill(child: Child) {
  child.process.kill("SIGKILL");
  await child.exited;
}

/** The app's database sessions, as PostgreSQL sees them. */
async function sessionsOf(appName: string) {
  return db.execute<{ pid: number; state: string | null; waitEventType: string | null; waitEvent: string | null; query: string }>(sql`
    select pid, state, wait_event_type as "waitEventType", wait_event as "waitEvent", query
    from pg_stat_activity where datname = current_database() and application_name = ${appName}`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A session of the app that waits on a lock of the given kind ("transactionid", "advisory"). */
function waitingOn(appName: string, waitEvent: string) {
  return waitFor(`${appName} to wait on ${waitEvent}`, async () =>
    (await sessionsOf(appName)).find((s) => s.waitEventType === "Lock" && s.waitEvent === waitEvent),
  );
}

/** Holds, in an open transaction, the record of report `seq`: that report's transaction waits on it before it commits. */
async function holdReportRecord(gatewayId: string, seq: number): Promise<ReservedSql> {
  const holder = await db.$client.reserve();
  await holder`begin`;
  await holder`insert into gateway_reports (gateway_id, seq, response) values (${gatewayId}, ${seq}, '{}'::jsonb)`;
  return holder;
}

async function release(holder: ReservedSql) {
  await holder`rollback`;
  holder.release();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };

async function post(origin: string, token: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${origin}/api/device/v1/report`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** What the platform has stored of the gateway's reports, readings and energy. */
type Stored = Record<
  "reports" | "readings" | "hours" | "hourlyReadings" | "meteredWh" | "allocations" | "ledgerWh" | "attemptsWh" | "running",
  number
>;

async function stored(gatewayId: string): Promise<Stored> {
  const [row] = await db.execute<Stored>(sql`
    with mine as (select id from radiators where gateway_id = ${gatewayId})
    select
      (select count(*)::int from gateway_reports where gateway_id = ${gatewayId}) as reports,
      (select count(*)::int from telemetry_readings where radiator_id in (select id from mine)) as readings,
      (select count(*)::int from telemetry_hourly where radiator_id in (select id from mine)) as hours,
      (select coalesce(sum(reading_count), 0)::int from telemetry_hourly where radiator_id in (select id from mine)) as "hourlyReadings",
      (select coalesce(sum(energy_wh), 0)::int from telemetry_hourly where radiator_id in (select id from mine)) as "meteredWh",
      (select count(*)::int from energy_allocations where radiator_id in (select id from mine)) as allocations,
      (select coalesce(sum(energy_wh), 0)::int from energy_allocations where radiator_id in (select id from mine)) as "ledgerWh",
      (select coalesce(sum(energy_wh), 0)::int from instance_attempts where radiator_id in (select id from mine)) as "attemptsWh",
      (select count(*)::int from instance_attempts where radiator_id in (select id from mine) and state = 'running') as running`);
  return row!;
}

let gateway: MeteredGateway;
let token: string;
let credentialId: string;
/** The first metered hour; every reading is stamped before the server's clock. */
let fromMs: number;
/** Each radiator's meter as last sent, and the next reading's time. */
let counterWh: number[];
let nextAtMs: number;
let seq: number;

/** The next report: every radiator reads its meter every 5 minutes for `steps` steps. */
function nextReport(steps: number) {
  const radiators = gateway.radiators.map((r, i) => {
    const readings: Reading[] = [];
    for (let k = 0; k < steps; k++) {
      counterWh[i]! += whPerStep(i);
      readings.push({
        at: new Date(nextAtMs + k * STEP_MS).toISOString(),
        roomTempC: 19.5,
        setpointC: 20,
        powerW: 450,
        energyCounterWh: counterWh[i]!,
        coresActive: 4,
        coresWanted: 4,
      });
    }
    return { serial: r.serial, readings };
  });
  nextAtMs += steps * STEP_MS;
  return { protocolVersion: 1, seq: ++seq, sentAt: new Date().toISOString(), radiators, events: [] };
}

function expectNormalAnswer(reply: Reply, reportSeq: number) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body).toMatchObject({ protocolVersion: 1, seq: reportSeq, assignments: [], cancellations: [] });
  expect(Array.isArray(reply.body.setpoints)).toBe(true);
}

beforeAll(async () => {
  await resetEngine(db);
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  const [gw] = await db.execute<{ id: string }>(sql`select id from gateways where serial = 'QBOX-PAR-A-204'`);
  ({ token, credentialId } = await issueGatewayCredential(db, { gatewayId: gw!.id, createdByUserId: null }));
  // Two hours of readings, four hours ago; work offered in the first answer runs from the second report on.
  fromMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 4 * HOUR_MS;
  const organizationId = await organizationIdByName(db, "Lumen Animation Studio");
  await createTask(db, { organizationId, profileName: "monte-carlo", name: "mc", instanceCount: 2, now: new Date(fromMs) });
  await gateway.run({ from: new Date(fromMs), to: new Date(fromMs + 2 * HOUR_MS - STEP_MS), stepS: 300, cores: 4, whPerStep });
  const states = await db.execute<{ energyCounterWh: number }>(sql`
    select rs.energy_counter_wh::int as "energyCounterWh" from radiators r join radiator_states rs on rs.radiator_id = r.id
    where r.gateway_id = ${gateway.gatewayId} order by r.serial`);
  counterWh = states.map((s) => s.energyCounterWh);
  nextAtMs = fromMs + 2 * HOUR_MS;
  const [last] = await db.execute<{ seq: number }>(sql`select max(seq)::int as seq from gateway_reports where gateway_id = ${gateway.gatewayId}`);
  seq = last!.seq;
  expect((await stored(gateway.gatewayId)).running).toBe(2);
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) await kill(child);
  await resetEngine(db);
  await db.delete(gatewayCredentials).where(sql`${gatewayCredentials.id} = ${credentialId}`);
  await gateway.forget();
});

describe("the app killed while a report is being written", () => {
  it("processes the gateway's retry exactly once after a restart, and the meters add up", async () => {
    const startedMs = Date.now();
    const first = await startApp(`hearth-faults-${process.pid}-first`);
    const before = await stored(gateway.gatewayId);
    const report = nextReport(12); // an hour of readings, with two attempts running

    const holder = await holdReportRecord(gateway.gatewayId, report.seq);
    const inFlight = post(first.origin, token, report).then(
      (reply) => ({ reply }),
      (error: unknown) => ({ error }),
    );
    // The report's transaction has written its telemetry and ledger and waits to record its answer.
    const orphan = await waitingOn(first.appName, "transactionid");
    expect(orphan.query).toMatch(/insert into gateway_reports/);
    const [held] = await db.execute<{ tables: string[] }>(sql`
      select array_agg(c.relname::text order by c.relname) as tables from pg_locks l join pg_class c on c.oid = l.relation
      where l.pid = ${orphan.pid} and l.mode = 'RowExclusiveLock' and l.granted
        and c.relname in ('telemetry_readings', 'telemetry_hourly', 'energy_allocations', 'instance_attempts', 'radiator_states')`);
    expect(held!.tables).toEqual(["energy_allocations", "instance_attempts", "radiator_states", "telemetry_hourly", "telemetry_readings"]);

    await kill(first);
    // The gateway saw its connection drop, no answer.
    expect(await inFlight).toHaveProperty("error");

    // The dead app's transaction is still open in PostgreSQL (it holds the gateway's lock) when the
    // restarted app gets the retry: the retry waits for it rather than running beside it.
    const second = await startApp(`hearth-faults-${process.pid}-second`);
    expect((await sessionsOf(first.appName)).map((s) => s.pid)).toContain(orphan.pid);
    const retry = post(second.origin, token, report);
    await waitingOn(second.appName, "advisory");
    // The test lets go: the orphaned transaction finds its client gone and rolls back; the retry runs.
    await release(holder);
    const answer = await retry;
    expectNormalAnswer(answer, report.seq);
    await waitFor("the orphaned session to end", async () => (await sessionsOf(first.appName)).length === 0);

    const after = await stored(gateway.gatewayId);
    const reportWh = 12 * gateway.radiators.reduce((sum, _, i) => sum + whPerStep(i), 0);
    expect(after.reports - before.reports).toBe(1);
    expect(after.readings - before.readings).toBe(36);
    expect(after.hours - before.hours).toBe(3); // one new hour per radiator
    expect(after.hourlyReadings - before.hourlyReadings).toBe(36);
    expect(after.meteredWh - before.meteredWh).toBe(reportWh);
    expect(after.allocations - before.allocations).toBe(2); // each running attempt, one hour
    expect(after.ledgerWh - before.ledgerWh).toBeGreaterThan(0);
    expect(after.ledgerWh - before.ledgerWh).toBeLessThanOrEqual(reportWh);
    expect(after.attemptsWh).toBe(after.ledgerWh);

    // Another retry of the same seq: the stored answer, nothing written.
    const again = await post(second.origin, token, report);
    expect(again).toEqual(answer);
    expect(await stored(gateway.gatewayId)).toEqual(after);

    // Ledger + idle = meter, per radiator and hour; the meter is what the counter moved.
    const firsts = await db.execute<{ energyCounterWh: number }>(sql`
      select (select t.energy_counter_wh::int from telemetry_readings t where t.radiator_id = r.id order by t.recorded_at limit 1) as "energyCounterWh"
      from radiators r where r.gateway_id = ${gateway.gatewayId} order by r.serial`);
    const range = { from: new Date(fromMs), to: new Date(fromMs + 5 * HOUR_MS), bucket: "hour" as const };
    let reportHourComputeWh = 0;
    for (const [i, radiator] of gateway.radiators.entries()) {
      const energy = (await radiatorEnergy(db, { staff: true }, { kind: "radiator", radiatorId: radiator.id }, range))!;
      expect(energy.total.energyWh).toBe(counterWh[i]! - firsts[i]!.energyCounterWh);
      expect(energy.total.computeEnergyWh + energy.total.idleEnergyWh).toBe(energy.total.energyWh);
      for (const b of energy.buckets) expect(b.computeEnergyWh + b.idleEnergyWh, b.start.toISOString()).toBe(b.energyWh);
      reportHourComputeWh += energy.buckets[2]!.computeEnergyWh;
    }
    expect(reportHourComputeWh).toBe(after.ledgerWh - before.ledgerWh);
    console.info(`killed mid-report and retried in ${Date.now() - startedMs} ms`);
  }, 60_000);
});

describe("the database connections cut under a running app", () => {
  /** Ends every database session of the app, as a restart of PostgreSQL would, and waits until they are gone. */
  async function cutConnections(appName: string) {
    const [row] = await db.execute<{ terminated: number }>(sql`
      select count(*)::int as terminated from (select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and application_name = ${appName}) t`);
    await waitFor(`${appName}'s sessions to end`, async () => (await sessionsOf(appName)).length === 0);
    return row!.terminated;
  }

  it("serves the next requests on new connections, without a restart", async () => {
    const startedMs = Date.now();
    const app = await startApp(`hearth-faults-${process.pid}-cut`);
    let firstTriesFailed = 0;
    /**
     * Sends as a gateway does: once more after a 5xx. A request that reaches a pooled connection
     * whose session was ended before the app has read the news (a few milliseconds) fails; it
     * must fail cleanly, and its retry, on a new connection, must be served.
     */
    const send = async (body: unknown) => {
      const reply = await post(app.origin, token, body);
      if (reply.status !== 500) return reply;
      expect(reply.body.error).toMatch(/retry the same report/);
      firstTriesFailed++;
      return post(app.origin, token, body);
    };
    // Requests that each read the database (the credential) and are refused after: several at once
    // open several of the pool's connections.
    const refused = (retry: boolean) =>
      Promise.all(Array.from({ length: 6 }, () => (retry ? send : (body: unknown) => post(app.origin, token, body))({ protocolVersion: 1 })));
    for (const reply of await refused(false)) expect(reply.status).toBe(400);
    expectNormalAnswer(await post(app.origin, token, nextReport(1)), seq);
    expect(await cutConnections(app.appName)).toBeGreaterThan(0);

    for (const reply of await refused(true)) expect(reply.status).toBe(400);
    // By now the app has seen every close: no request fails any more.
    for (const reply of await refused(false)) expect(reply.status).toBe(400);
    const before = await stored(gateway.gatewayId);
    expectNormalAnswer(await post(app.origin, token, nextReport(1)), seq);
    expect((await stored(gateway.gatewayId)).readings - before.readings).toBe(3);
    expect((await sessionsOf(app.appName)).length).toBeGreaterThan(0);

    // Cut twice in a row, idle: still served.
    await cutConnections(app.appName);
    await cutConnections(app.appName);
    expectNormalAnswer(await send(nextReport(1)), seq);
    expectNormalAnswer(await post(app.origin, token, nextReport(1)), seq);
    expect(app.process.exitCode).toBeNull();
    console.info(`reconnected after cuts in ${Date.now() - startedMs} ms (${firstTriesFailed} first tries failed)`);
  }, 60_000);

  it("fails a report whose connection is cut mid-transaction with a 5xx at once, and its retry is processed once", async () => {
    const app = await startApp(`hearth-faults-${process.pid}-cut-in-flight`);
    const before = await stored(gateway.gatewayId);
    const report = nextReport(3);
    const holder = await holdReportRecord(gateway.gatewayId, report.seq);
    try {
      const inFlight = post(app.origin, token, report);
      await waitingOn(app.appName, "transactionid");
      const cutMs = Date.now();
      await cutConnections(app.appName);
      const failed = await inFlight;
      const failedAfterMs = Date.now() - cutMs;
      expect(failed.status).toBe(500);
      expect(failed.body.error).toMatch(/retry the same report/);
      expect(failedAfterMs).toBeLessThan(5_000);
      console.info(`cut mid-report: answered ${failed.status} ${failedAfterMs} ms after the cut`);
    } finally {
      await release(holder);
    }
    expect(await stored(gateway.gatewayId)).toEqual(before);
    // The app lives on (a transaction's connection dying under it once took the process down).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app.process.exitCode).toBeNull();

    // The gateway retries, as it does after any 5xx: a retry may land on the connection whose
    // session was cut mid-query, which postgres-js fails once more with the old session's error.
    let answer = await post(app.origin, token, report);
    for (let retries = 1; answer.status === 500 && retries < 3; retries++) answer = await post(app.origin, token, report);
    expectNormalAnswer(answer, report.seq);
    expect(await post(app.origin, token, report)).toEqual(answer);
    const after = await stored(gateway.gatewayId);
    expect(after.reports - before.reports).toBe(1);
    expect(after.readings - before.readings).toBe(9);
    expect(after.hourlyReadings - before.hourlyReadings).toBe(9);
    expect(after.meteredWh - before.meteredWh).toBe(3 * gateway.radiators.reduce((sum, _, i) => sum + whPerStep(i), 0));
    expect(after.attemptsWh).toBe(after.ledgerWh);
  }, 60_000);
});
