import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/server/db/client";
import { gateways, instanceAttempts, instances } from "@/server/db/schema";
import { createProfilePool, type ProfilePool } from "@/server/profiles/worker";
import { SILENT_AFTER_S } from "@/server/services/scheduler";
import { createTask } from "@/server/services/tasks";
import { issueGatewayCredential, revokeGatewayCredential } from "@/server/services/gateway-credentials";
import { leaveFleetAsSeeded, organizationIdByName, resetEngine, useTestDb, userIdByEmail } from "@/server/test/db";
import { loadFleet, type FleetSpec } from "./fleet";
import { HISTORY_CADENCE, LIVE_CADENCE, Simulation } from "./simulation";

const db = useTestDb();

// Two flats of the Paris residence: 3 and 4 radiators, each flat its own gateway.
const GATEWAYS = ["QBOX-PAR-A-305", "QBOX-PAR-A-309"];
const MINUTE_MS = 60_000;
// A cold January morning: every room wants heat.
const START_MS = Date.parse("2026-01-14T06:00:00Z");

let pool: ProfilePool;
let lumen: string;

beforeAll(async () => {
  pool = createProfilePool(1);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
});

afterAll(async () => {
  await pool.close();
  // Leave the seeded fleet as other test files expect it.
  await leaveFleetAsSeeded(db, { gatewaySerials: GATEWAYS });
});

beforeEach(async () => {
  await resetEngine(db);
});

async function simulate(opts: {
  seed: number;
  fleet?: FleetSpec;
  outages?: null;
  startMs?: number;
  onReport?: (gateway: string, body: string, status: number) => void;
}) {
  return Simulation.create({
    db,
    gatewaySerials: GATEWAYS,
    fleet: opts.fleet,
    seed: opts.seed,
    outages: opts.outages,
    startMs: opts.startMs ?? START_MS,
    runner: pool,
    concurrency: 2,
    onReport: opts.onReport,
  });
}

describe("determinism", () => {
  it("plays the same reports for the same seed and start, and others for another seed", async () => {
    const run = async (seed: number) => {
      await resetEngine(db);
      const bodies: string[] = [];
      const statuses = new Set<number>();
      let sent = 0;
      const sim = await simulate({
        seed,
        onReport: (gateway, body, status) => {
          bodies.push(`${gateway} ${body}`);
          statuses.add(status);
          const report = JSON.parse(body) as { radiators: Array<{ readings: unknown[] }> };
          for (const r of report.radiators) sent += r.readings.length;
        },
      });
      // The outage schedule is on; forced outages make sure the two and a half hours hold a trip and an internet loss.
      sim.tripBreaker(sim.world.radiators[1]!.serial, 40 * MINUTE_MS, START_MS + 60 * MINUTE_MS);
      sim.cutInternet(GATEWAYS[1]!, 20 * MINUTE_MS, START_MS + 120 * MINUTE_MS);
      await sim.runUntil(START_MS + 150 * MINUTE_MS, LIVE_CADENCE);
      expect([...statuses]).toEqual([200]);
      // The telemetry stored is what was sent: at most one reading per radiator and minute, none while off.
      const [row] = await db.execute<{ n: number; radiators: number }>(sql`
        select count(*)::int as n, count(distinct radiator_id)::int as radiators from telemetry_readings`);
      expect(row!.radiators).toBe(7);
      expect(row!.n).toBe(sent);
      expect(sent).toBeLessThanOrEqual(7 * 150 - 40);
      // Reports come in per gateway order; concurrency may interleave gateways, not a gateway's own reports.
      return bodies.sort();
    };
    const first = await run(7);
    const second = await run(7);
    expect(first.length).toBeGreaterThan(250);
    expect(second).toEqual(first);
    const other = await run(8);
    expect(other).not.toEqual(first);
  }, 180_000);
});

/**
 * A fleet whose Monte-Carlo instances last 30 minutes of one core (long enough to interrupt),
 * simulated for 10 minutes, then one such instance submitted; and its attempts, oldest first.
 */
async function longInstance(name: string) {
  const loaded = await loadFleet(db, { gatewaySerials: GATEWAYS });
  const fleet: FleetSpec = { ...loaded, profileCoreSeconds: new Map([...loaded.profileCoreSeconds, ["monte-carlo", 1800]]) };
  const sim = await simulate({ seed: 3, fleet, outages: null });
  await sim.runUntil(START_MS + 10 * MINUTE_MS, LIVE_CADENCE);
  const task = await createTask(db, {
    organizationId: lumen,
    profileName: "monte-carlo",
    name,
    instanceCount: 1,
    constants: { paths: "2000", seed: "11" },
    now: new Date(sim.nowMs),
  });
  const attemptsOf = () =>
    db
      .select()
      .from(instanceAttempts)
      .innerJoin(instances, eq(instances.id, instanceAttempts.instanceId))
      .where(eq(instances.taskId, task.id))
      .orderBy(instanceAttempts.id);
  return { sim, task, attemptsOf };
}

describe("a radiator that drops off mid-instance", () => {
  it("has its instance finished elsewhere, the lost attempt unbilled and the energy metered once", async () => {
    // A long instance, so that the breaker trips in the middle of it.
    const { sim, task, attemptsOf } = await longInstance("drop-off");

    // Until the platform knows it runs.
    let first;
    for (let i = 0; i < 10 && !first; i++) {
      await sim.step(LIVE_CADENCE);
      first = (await attemptsOf()).find((a) => a.instance_attempts.state === "running")?.instance_attempts;
    }
    expect(first).toBeDefined();
    const serialX = sim.world.radiators.find((r) => r.spec.id === first!.radiatorId)!.serial;
    expect(sim.world.bySerial.get(serialX)!.attempts.has(first!.id)).toBe(true);

    // The breaker trips for an hour, ten minutes into the instance.
    await sim.runUntil(sim.nowMs + 10 * MINUTE_MS, LIVE_CADENCE);
    const tripAt = sim.nowMs;
    sim.tripBreaker(serialX, 60 * MINUTE_MS);

    // Silent for longer than SILENT_AFTER_S: the engine's tick takes the work back and it runs elsewhere.
    await sim.runUntil(tripAt + (SILENT_AFTER_S + 120) * 1000, LIVE_CADENCE);
    let rows = await attemptsOf();
    expect(rows[0]!.instance_attempts).toMatchObject({ id: first!.id, state: "lost", billable: false });
    expect(rows.length).toBe(2);
    const second = rows[1]!.instance_attempts;
    expect(second.radiatorId).not.toBe(first!.radiatorId);

    // Until it ends, and past the radiator's return (its boot reports the dead attempt: ignored).
    for (let i = 0; i < 120 && rows.at(-1)!.instances.state !== "succeeded"; i++) {
      await sim.runUntil(sim.nowMs + 5 * MINUTE_MS, LIVE_CADENCE);
      rows = await attemptsOf();
    }
    await sim.runUntil(Math.max(sim.nowMs, tripAt + 70 * MINUTE_MS), LIVE_CADENCE);
    rows = await attemptsOf();
    expect(rows.map((r) => r.instance_attempts.state)).toEqual(["lost", "succeeded"]);
    expect(rows[1]!.instances.state).toBe("succeeded");
    expect(rows[1]!.instance_attempts.billable).toBe(true);
    const [outputs] = await db.execute<{ n: number }>(sql`select count(*)::int as n from instance_outputs where attempt_id = ${second.id}`);
    expect(outputs!.n).toBe(1);

    // Energy: each attempt's total is its ledger rows, each radiator's ledger plus its idle hours
    // add up to its meter, and only the attempt that succeeded is billable.
    const [energy] = await db.execute<{ lostWh: number; lostLedgerWh: number; wonWh: number; wonLedgerWh: number; billableWh: number }>(sql`
      select
        (select energy_wh from instance_attempts where id = ${first!.id})::int as "lostWh",
        (select coalesce(sum(energy_wh), 0) from energy_allocations where attempt_id = ${first!.id})::int as "lostLedgerWh",
        (select energy_wh from instance_attempts where id = ${second.id})::int as "wonWh",
        (select coalesce(sum(energy_wh), 0) from energy_allocations where attempt_id = ${second.id})::int as "wonLedgerWh",
        (select coalesce(sum(a.energy_wh), 0) from instance_attempts a join instances i on i.id = a.instance_id
          where i.task_id = ${task.id} and a.billable)::int as "billableWh"`);
    expect(energy!.lostWh).toBe(energy!.lostLedgerWh);
    expect(energy!.wonWh).toBe(energy!.wonLedgerWh);
    expect(energy!.wonWh).toBeGreaterThan(0);
    expect(energy!.billableWh).toBe(energy!.wonWh);
    const ledger = await db.execute<{ radiator_id: string; ledger: number; hourly: number }>(sql`
      select r.id as radiator_id,
        (select coalesce(sum(energy_wh), 0) from energy_allocations e where e.radiator_id = r.id)::int
          + (select coalesce(sum(idle_energy_wh), 0) from telemetry_hourly h where h.radiator_id = r.id)::int as ledger,
        (select coalesce(sum(energy_wh), 0) from telemetry_hourly h where h.radiator_id = r.id)::int as hourly
      from radiators r where r.id in (${first!.radiatorId}, ${second.radiatorId})`);
    for (const r of ledger) expect(r.ledger).toBe(r.hourly);

    // The radiator came back with its meter restarted at 0, and reports again.
    const x = sim.world.bySerial.get(serialX)!;
    expect(x.off).toBe(false);
    expect(x.energyWh).toBeLessThan(1000);
  }, 120_000);
});

describe("a restarted simulator", () => {
  it("has the platform take back the work its radiators lost, and run it again", async () => {
    const { sim: before, attemptsOf } = await longInstance("restart");
    for (let i = 0; i < 10 && !(await attemptsOf()).some((a) => a.instance_attempts.state === "running"); i++) await before.step(LIVE_CADENCE);
    await before.runUntil(before.nowMs + 5 * MINUTE_MS, LIVE_CADENCE);
    expect((await attemptsOf()).map((a) => a.instance_attempts.state)).toEqual(["running"]);

    // A new simulator on the same fleet, a minute later: its radiators run nothing, and say so
    // well within the silence timeout.
    const after = await simulate({ seed: 3, fleet: await loadFleet(db, { gatewaySerials: GATEWAYS }), outages: null, startMs: before.nowMs + MINUTE_MS });
    await after.runUntil(after.nowMs + 2 * MINUTE_MS, LIVE_CADENCE);
    let rows = await attemptsOf();
    expect(rows[0]!.instance_attempts).toMatchObject({ state: "lost", billable: false });

    for (let i = 0; i < 120 && rows.at(-1)!.instances.state !== "succeeded"; i++) {
      await after.runUntil(after.nowMs + 5 * MINUTE_MS, LIVE_CADENCE);
      rows = await attemptsOf();
    }
    expect(rows.map((r) => r.instance_attempts.state)).toEqual(["lost", "succeeded"]);
  }, 120_000);
});

describe("fast-forward", () => {
  it("fills history at the history cadence, and runs work submitted meanwhile within the hour", async () => {
    const statuses: number[] = [];
    const sim = await Simulation.create({
      db,
      gatewaySerials: GATEWAYS,
      seed: 5,
      startMs: START_MS,
      runner: pool,
      outages: null,
      onReport: (_gateway, _body, status) => statuses.push(status),
    });
    // Quiet: one report per gateway a day.
    await sim.runUntil(Date.parse("2026-01-15T12:00:00Z"), HISTORY_CADENCE);
    expect(statuses.length).toBe(2);
    const task = await createTask(db, {
      organizationId: lumen,
      profileName: "monte-carlo",
      name: "history",
      instanceCount: 3,
      constants: { paths: "2000" },
      now: new Date(sim.nowMs),
    });
    await sim.runUntil(Date.parse("2026-01-16T06:00:00Z"), HISTORY_CADENCE);
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Readings every 15 minutes for two days; all reported by the daily report at midnight, the
    // hourly ones while work ran, and the rest up to 06:00.
    const [row] = await db.execute<{ n: number; first: string; last: string }>(sql`
      select count(*)::int as n, min(recorded_at)::text as first, max(recorded_at)::text as last from telemetry_readings`);
    expect(row!.n).toBeGreaterThanOrEqual(7 * 4 * 24);
    const counts = await db.execute<{ state: string; n: number }>(sql`
      select state, count(*)::int as n from instances where task_id = ${task.id} group by state`);
    // Dispatched in the answer to the next daily report (midnight), done within the hour after.
    expect(counts.map((c) => [c.state, c.n])).toEqual([["succeeded", 3]]);
    const [attempts] = await db.execute<{ started: string; ended: string }>(sql`
      select min(a.started_at) as started, max(a.ended_at) as ended from instance_attempts a
      join instances i on i.id = a.instance_id where i.task_id = ${task.id}`);
    expect(new Date(attempts!.started).toISOString()).toBe("2026-01-16T00:00:00.000Z");
    expect(Date.parse(attempts!.ended)).toBeLessThanOrEqual(Date.parse("2026-01-16T00:05:00Z"));
    // The reports: one per gateway per day while quiet, hourly while work ran.
    expect(statuses.length).toBeLessThan(2 * 8);
  }, 60_000);
});

describe("real gateways", () => {
  it("leaves out a gateway that staff gave a credential: real hardware replaces the simulated one", async () => {
    const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.serial, GATEWAYS[0]!));
    const staff = await userIdByEmail(db, "staff@hearth.test");
    const { credentialId } = await issueGatewayCredential(db, { gatewayId: gateway!.id, createdByUserId: staff });
    try {
      const fleet = await loadFleet(db, { gatewaySerials: GATEWAYS });
      expect(fleet.gateways.map((g) => g.serial)).toEqual([GATEWAYS[1]]);
      // The simulator's own credentials (issued by nobody) do not count.
      await Simulation.create({ db, gatewaySerials: GATEWAYS.slice(1), startMs: START_MS, runner: pool });
      expect((await loadFleet(db, { gatewaySerials: GATEWAYS })).gateways.length).toBe(1);
    } finally {
      await revokeGatewayCredential(db, credentialId);
    }
    expect((await loadFleet(db, { gatewaySerials: GATEWAYS })).gateways.length).toBe(2);
  });
});

describe("the Next.js route", () => {
  it("takes the simulator's reports like the in-process handler", async () => {
    const { POST } = await import("@/app/api/device/v1/report/route");
    // The route reads DATABASE_URL (its own connection pool) and the wall clock: play the last ten minutes up to now.
    const statuses: number[] = [];
    const startMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
    try {
      const sim = await Simulation.create({
        db,
        gatewaySerials: GATEWAYS.slice(0, 1),
        seed: 1,
        startMs,
        runner: pool,
        outages: null,
        engineTicks: false,
        transport: (request) => POST(request),
        onReport: (_gateway, _body, status) => statuses.push(status),
      });
      await sim.runUntil(startMs + 10 * MINUTE_MS, LIVE_CADENCE);
    } finally {
      await closeDb(getDb());
    }
    expect(statuses.length).toBe(10);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from telemetry_readings`);
    expect(row!.n).toBe(3 * 10);
  });
});
