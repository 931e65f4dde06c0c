import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qarnotCarbonFacts, roundedFacts } from "@/server/domain/carbon";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { gridSources, workCarbonFacts } from "./carbon";
import { workEnergy } from "./energy";
import { InvalidInputError, NotFoundError } from "./errors";
import { createTask } from "./tasks";

const db = useTestDb();
const at = (iso: string) => new Date(iso);

let gateway: MeteredGateway;
let lumen: string;
let carmin: string;
let taskId: string;
let importId: number;
const from = at("2026-01-15T00:00:00Z");
const to = at("2026-01-15T03:55:00Z");

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  await resetEngine(db);
  gateway.reset();
  taskId = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "night run", instanceCount: 6, now: from })).id;
  await gateway.run({ from, to, stepS: 300, cores: 4, whPerStep: (i) => 35 + 3 * i, runS: 150 * 60 });
  // The work starts at 01:00; the grid operator's series covers its first two hours only.
  const [row] = await db.execute<{ id: string }>(sql`
    insert into grid_intensity_imports (country, source, file_name, hours, first_hour_start, last_hour_start)
    values ('FR', 'RTE éCO2mix (test)', 'night.csv', 2, '2026-01-15T01:00:00Z', '2026-01-15T02:00:00Z') returning id`);
  importId = Number(row!.id);
  await db.execute(sql`
    insert into grid_intensity_hourly (country, hour_start, intensity_mg_per_kwh, import_id) values
      ('FR', '2026-01-15T01:00:00Z', 45000, ${importId}), ('FR', '2026-01-15T02:00:00Z', 52000, ${importId})`);
});

afterAll(async () => {
  await db.execute(sql`delete from grid_intensity_hourly where import_id = ${importId}`);
  await db.execute(sql`delete from grid_intensity_imports where id = ${importId}`);
  await resetEngine(db);
  await gateway.forget();
});

describe("a task's Carbon Facts from the ledger", () => {
  it("counts the same IT energy as the metering ledger", async () => {
    const facts = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
    const energy = await workEnergy(db, { organizationId: lumen }, { kind: "task", taskId }, { from, to: at("2026-01-16T00:00:00Z") });
    expect(facts.itEnergyWh).toBeGreaterThan(0);
    expect(facts.itEnergyWh).toBe(energy!.total.energyWh);
    // The thermostats wanted every running core: all the heat was reused.
    expect(facts.reusedEnergyWh).toBe(facts.itEnergyWh);
    expect(facts.footprintG).toBeGreaterThan(0);
    expect(facts.embodiedG).toBeGreaterThan(0);
  });

  it("uses the imported hours where the series has them and the annual factor elsewhere, and names both", async () => {
    const facts = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
    expect(facts.grid.hoursHourly).toBe(2);
    expect(facts.grid.hoursAnnual).toBeGreaterThan(0);
    expect(facts.grid.importIds).toEqual([importId]);
    const sources = await gridSources(db, facts);
    expect(sources.imports).toEqual([{ id: importId, country: "FR", source: "RTE éCO2mix (test)", fileName: "night.csv" }]);
    expect(sources.annual.map((a) => a.gPerKWh)).toEqual([21.7]);
  });

  it("answers a job with the energy of its tasks, and zeros for work that has not run", async () => {
    const [job] = await db.execute<{ id: string }>(sql`insert into jobs (organization_id, name) values (${lumen}, 'empty job') returning id`);
    try {
      await db.execute(sql`update tasks set job_id = ${job!.id} where id = ${taskId}`);
      const viaJob = await workCarbonFacts(db, { organizationId: lumen }, { kind: "job", jobId: job!.id });
      const viaTask = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
      expect(roundedFacts(viaJob)).toEqual(roundedFacts(viaTask));
      await db.execute(sql`update tasks set job_id = null where id = ${taskId}`);
      const empty = qarnotCarbonFacts(await workCarbonFacts(db, { organizationId: lumen }, { kind: "job", jobId: job!.id }));
      expect(empty).toMatchObject({ total_consumed_energy_Wh: 0, qarnot_carbon_footprint: 0, PUE: 0 });
    } finally {
      await db.execute(sql`update tasks set job_id = null where id = ${taskId}`);
      await db.execute(sql`delete from jobs where id = ${job!.id}`);
    }
  });

  it("answers a customer's month from the ledger, a deleted task's energy included", async () => {
    const night = { kind: "organization" as const, organizationId: lumen, from, to: at("2026-01-16T00:00:00Z") };
    const task = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId });
    const month = await workCarbonFacts(db, { organizationId: lumen }, night);
    expect(roundedFacts(month)).toEqual(roundedFacts(task));
    // The ledger outlives the task: the month still counts its energy once the attempts are gone.
    const kept = await db.execute<{ id: string }>(sql`select e.id from energy_allocations e join instance_attempts a on a.id = e.attempt_id
      join instances i on i.id = a.instance_id where i.task_id = ${taskId}`);
    expect(kept.length).toBeGreaterThan(0);
    let afterDeletion: number | null = null;
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`update energy_allocations set attempt_id = null where id in (${sql.join(kept.map((k) => sql`${k.id}`), sql`, `)})`);
        afterDeletion = (await workCarbonFacts(tx, { organizationId: lumen }, night)).itEnergyWh;
        tx.rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error && e.message.includes("Rollback"))) throw e;
      });
    expect(afterDeletion).toBe(task.itEnergyWh);
    await expect(workCarbonFacts(db, { organizationId: carmin }, night)).rejects.toBeInstanceOf(NotFoundError);
    await expect(workCarbonFacts(db, { organizationId: lumen }, { ...night, to: from })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("is another customer's NOT_FOUND, and a forged id's too", async () => {
    await expect(workCarbonFacts(db, { organizationId: carmin }, { kind: "task", taskId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId: "x' or 1=1" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(workCarbonFacts(db, { organizationId: lumen }, { kind: "job", jobId: taskId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a comparison datacenter it does not know, naming it", async () => {
    const refused = workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId }, { datacenter: "mars-1" });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toThrow(/"mars-1".*average-datacenter, hyperscale-datacenter/);
    const hyperscale = await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId }, { datacenter: "hyperscale-datacenter" });
    expect(hyperscale.datacenter.name).toBe("hyperscale-datacenter");
  });
});
