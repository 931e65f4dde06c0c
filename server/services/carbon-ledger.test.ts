import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { workCarbonFacts } from "./carbon";
import { createTask } from "./tasks";

/**
 * What the report handler writes to each ledger row for the carbon methodology, checked against
 * the meters it came from: the part the room asked for, reading by reading, and the share of the
 * gateway's own meter, report by report.
 */
const db = useTestDb();
const at = (iso: string) => new Date(iso);
// One report an hour, on the half hour, so a report's readings fall in two hours.
const from = at("2026-02-10T00:30:00Z");
const to = at("2026-02-10T04:25:00Z");
const STEP_S = 300;
/**
 * From 02:30, in the middle of an hour, the thermostats want one of the four running cores and
 * the radiators draw more: an hour's average would count a different part than reading by reading.
 */
const coolingFromMs = at("2026-02-10T02:30:00Z").getTime();
const whPerStep = (radiatorIndex: number, atMs: number) => (atMs >= coolingFromMs ? 45 : 30) + 2 * radiatorIndex;
const GATEWAY_WH_PER_REPORT = 7;

let gateway: MeteredGateway;
let lumen: string;
let taskId: string;

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  await resetEngine(db);
  gateway.reset();
  await db.execute(sql`delete from gateway_hourly where gateway_id = ${gateway.gatewayId}`);
  taskId = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "cooling night", instanceCount: 6, now: from })).id;
  await gateway.run({
    from,
    to,
    stepS: STEP_S,
    cores: 4,
    whPerStep,
    runS: 150 * 60,
    coresWanted: (atMs) => (atMs < coolingFromMs ? 4 : 1),
    gatewayWhPerReport: GATEWAY_WH_PER_REPORT,
  });
});

afterAll(async () => {
  await resetEngine(db);
  await db.execute(sql`delete from gateway_hourly where gateway_id = ${gateway.gatewayId}`);
  await gateway.forget();
});

describe("the ledger's carbon columns, as the report handler writes them", () => {
  it("counts heat as wanted reading by reading: all of it before the rooms cooled off, a quarter after", async () => {
    const [row] = await db.execute<{ before: string; after: string }>(sql`
      select coalesce(sum(e.energy_wh) filter (where e.period_end < ${new Date(coolingFromMs).toISOString()}), 0) as before,
        coalesce(sum(e.energy_wh) filter (where e.period_end >= ${new Date(coolingFromMs).toISOString()}), 0) as after
      from energy_allocations e join instance_attempts a on a.id = e.attempt_id join instances i on i.id = a.instance_id
      where i.task_id = ${taskId}`);
    const before = Number(row!.before);
    const after = Number(row!.after);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(0);
    const facts = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
    expect(facts.itEnergyWh).toBe(before + after);
    expect(facts.reusedEnergyWh).toBeCloseTo(before + after / 4, 2);
  });

  it("shares each report's gateway delta by the energy the report's radiators metered", async () => {
    // The task's energy per report (its readings' times, binned on the reports' half hours) ...
    const rows = await db.execute<{ report_start: string; wh: string }>(sql`
      select date_bin('1 hour', e.period_end, ${from.toISOString()}::timestamptz) as report_start, sum(e.energy_wh) as wh
      from energy_allocations e join instance_attempts a on a.id = e.attempt_id join instances i on i.id = a.instance_id
      where i.task_id = ${taskId} group by 1`);
    // ... × the gateway's delta ÷ all its radiators' energy in that report. The first report only
    // opens the meters (the radiators' and the gateway's): nothing metered, nothing shared.
    let expected = 0;
    for (const row of rows) {
      const startMs = new Date(row.report_start).getTime();
      if (startMs === from.getTime()) continue;
      let radiatorsWh = 0;
      for (let t = startMs; t < startMs + 3_600_000; t += STEP_S * 1000) gateway.radiators.forEach((_, i) => (radiatorsWh += whPerStep(i, t)));
      expected += (GATEWAY_WH_PER_REPORT * Number(row.wh)) / radiatorsWh;
    }
    expect(expected).toBeGreaterThan(0);
    const facts = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
    expect(facts.overheadEnergyWh).toBeCloseTo(expected, 2);
    expect(facts.consumedEnergyWh).toBeCloseTo(facts.itEnergyWh + expected, 2);
  });

  it("records where and for how long the work ran", async () => {
    const [row] = await db.execute<{ sites: string[]; machine_ms: string; expected_ms: string }>(sql`
      select array_agg(distinct e.site_id::text) as sites, sum(e.machine_ms) as machine_ms,
        round(sum(e.core_seconds * 1000.0 / h.cores)) as expected_ms
      from energy_allocations e join radiators r on r.id = e.radiator_id join hardware_models h on h.id = r.hardware_model_id
      join instance_attempts a on a.id = e.attempt_id join instances i on i.id = a.instance_id
      where i.task_id = ${taskId}`);
    const [site] = await db.execute<{ id: string }>(sql`
      select b.site_id as id from gateways g join buildings b on b.id = g.building_id where g.id = ${gateway.gatewayId}`);
    expect(row!.sites).toEqual([site!.id]);
    expect(Math.abs(Number(row!.machine_ms) - Number(row!.expected_ms))).toBeLessThan(10);
  });
});
