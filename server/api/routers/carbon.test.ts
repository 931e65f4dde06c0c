import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qarnotCarbonFacts } from "@/server/domain/carbon";
import { workCarbonFacts } from "@/server/services/carbon";
import { createTask } from "@/server/services/tasks";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { callerAs, organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";

const db = useTestDb();
const from = new Date("2026-02-10T20:00:00Z");
let gateway: MeteredGateway;
let lumen: string;
let taskId: string;

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  return error instanceof TRPCError ? error.code : String(error);
}

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  await resetEngine(db);
  gateway.reset();
  taskId = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "evening", instanceCount: 3, now: from })).id;
  await gateway.run({ from, to: new Date("2026-02-10T22:55:00Z"), stepS: 300, cores: 4, whPerStep: () => 40, runS: 90 * 60 });
});

afterAll(async () => {
  await resetEngine(db);
  await gateway.forget();
});

describe("carbon router", () => {
  it("gives the task's label the numbers the REST API answers", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const label = await api.carbon.task({ taskId });
    const rest = qarnotCarbonFacts(await workCarbonFacts(db, { organizationId: lumen }, { kind: "task", taskId }));
    expect(label.figures.itEnergyWh).toBeGreaterThan(0);
    expect({
      total_consumed_energy_Wh: label.figures.consumedEnergyWh,
      total_energy_it_Wh: label.figures.itEnergyWh,
      total_reused_energy_Wh: label.figures.reusedEnergyWh,
      qarnot_carbon_footprint: label.figures.footprintG,
      equivalent_DC_carbon_footprint: label.figures.equivalentG,
      saved_carbon_footprint_compute_heat: label.figures.savedTotalG,
      saved_carbon_footprint_percent: label.figures.savedPercent,
      PUE: label.figures.pue,
    }).toEqual({
      total_consumed_energy_Wh: rest.total_consumed_energy_Wh,
      total_energy_it_Wh: rest.total_energy_it_Wh,
      total_reused_energy_Wh: rest.total_reused_energy_Wh,
      qarnot_carbon_footprint: rest.qarnot_carbon_footprint,
      equivalent_DC_carbon_footprint: rest.equivalent_DC_carbon_footprint,
      saved_carbon_footprint_compute_heat: rest.saved_carbon_footprint_compute_heat,
      saved_carbon_footprint_percent: rest.saved_carbon_footprint_percent,
      PUE: rest.PUE,
    });
    expect(label.methodologyVersion).toBe("hearth-carbon-2");
    expect(label.grid.annual.map((a) => a.gPerKWh)).toEqual([21.7]);
  });

  it("is NOT_FOUND for another customer, BAD_REQUEST for an unknown comparison, FORBIDDEN for a resident", async () => {
    const other = await callerAs(db, "customer2@hearth.test");
    expect(await codeOf(other.carbon.task({ taskId }))).toBe("NOT_FOUND");
    expect(await codeOf(other.carbon.job({ jobId: taskId }))).toBe("NOT_FOUND");
    const api = await callerAs(db, "customer@hearth.test");
    expect(await codeOf(api.carbon.task({ taskId, datacenter: "nowhere" }))).toBe("BAD_REQUEST");
    const resident = await callerAs(db, "resident@hearth.test");
    expect(await codeOf(resident.carbon.task({ taskId }))).toBe("FORBIDDEN");
  });

  it("reports the customer's months, the task's month holding its energy, and a month per task", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const label = await api.carbon.task({ taskId });
    const report = await api.carbon.months();
    expect(report.months).toHaveLength(12);
    const february = report.months.find((m) => m.month === "2026-02");
    // The caller's clock decides which twelve months; February 2026 is among them until 2027.
    if (february) {
      expect(february.figures.itEnergyWh).toBe(label.figures.itEnergyWh);
      expect(february.figures.footprintG).toBe(label.figures.footprintG);
    }
    const month = await api.carbon.month({ month: "2026-02" });
    expect(month.tasks).toEqual([{ taskId, name: "evening", figures: label.figures }]);
    expect(month.figures).toEqual(label.figures);
    expect(month.methodologyVersion).toBe("hearth-carbon-2");
  });

  it("refuses a month written otherwise, a page that is not one, and a month to come, with a message", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const messageOf = (promise: Promise<unknown>) => promise.then(() => "answered", (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e)));
    for (const month of ["2026-2", "2026-13", "02-2026", "", "2026-02-01"]) {
      expect(await messageOf(api.carbon.month({ month }))).toMatch(/^BAD_REQUEST: .*A month is written YYYY-MM, for example 2026-01\./s);
    }
    expect(await messageOf(api.carbon.month({ month: "2026-02", page: 0 }))).toMatch(/^BAD_REQUEST: .*The page is a whole number from 1\./s);
    expect(await messageOf(api.carbon.month({ month: "2026-02", page: 1.5 }))).toMatch(/^BAD_REQUEST: .*The page is a whole number from 1\./s);
    expect(await messageOf(api.carbon.month({ month: "2999-01" }))).toBe("BAD_REQUEST: 2999-01 has not begun yet.");
    expect(await messageOf(api.carbon.month({ month: "2026-02", datacenter: "moon-base" }))).toContain('BAD_REQUEST: No comparison datacenter is named "moon-base".');
    expect((await api.carbon.month({ month: "2026-02", datacenter: "hyperscale-datacenter" })).datacenter.name).toBe("hyperscale-datacenter");
    const resident = await callerAs(db, "resident@hearth.test");
    expect(await codeOf(resident.carbon.months())).toBe("FORBIDDEN");
    expect(await codeOf(resident.carbon.month({ month: "2026-02" }))).toBe("FORBIDDEN");
    // Another customer's month is its own: none of the first's work.
    const other = await callerAs(db, "customer2@hearth.test");
    expect((await other.carbon.month({ month: "2026-02" })).tasks).toEqual([]);
  });

  it("lists the annual grid factors with their sources", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    const factors = await api.carbon.annualGridIntensities();
    expect(factors.find((f) => f.gPerKWh === 21.7)?.source).toContain("RTE");
  });
});
