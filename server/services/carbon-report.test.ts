import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { workCarbonFacts } from "./carbon";
import { carbonMonth, carbonMonths, DELETED_TASKS } from "./carbon-report";
import { InvalidInputError, NotFoundError } from "./errors";
import { createTask, deleteTask } from "./tasks";

const db = useTestDb();
const at = (iso: string) => new Date(iso);

let gateway: MeteredGateway;
let lumen: string;
let carmin: string;
let alpha: string;
let beta: string;
// Evening of 30 November in Paris into the night of 1 December: the work crosses the month at 23:00 UTC.
const from = at("2025-11-30T20:00:00Z");
const to = at("2025-12-01T01:55:00Z");
const now = at("2025-12-15T12:00:00Z");
const lumenScope = () => ({ organizationId: lumen });

/** The ledger's IT energy of Lumen's work metered in [from, to): what the months must add up to. */
async function ledgerWh(fromIso: string, toIso: string) {
  const [row] = await db.execute<{ wh: string }>(sql`select coalesce(sum(energy_wh), 0) as wh from energy_allocations
    where organization_id = ${lumen} and period_end >= ${fromIso} and period_end < ${toIso}`);
  return Number(row!.wh);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  await resetEngine(db);
  gateway.reset();
  alpha = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "alpha", instanceCount: 2, now: from })).id;
  beta = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "beta", instanceCount: 2, now: from })).id;
  await gateway.run({ from, to, stepS: 300, cores: 4, whPerStep: (i) => 30 + 4 * i, runS: 4 * 3600 });
});

afterAll(async () => {
  await resetEngine(db);
  await gateway.forget();
});

describe("a customer's carbon report", () => {
  it("gives twelve months in Paris time, zeros where nothing ran, the ledger's energy where work did", async () => {
    const report = await carbonMonths(db, lumenScope(), lumen, now);
    expect(report.timeZone).toBe("Europe/Paris");
    expect(report.months.map((m) => m.month)).toEqual([
      "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
    ]);
    const november = report.months.find((m) => m.month === "2025-11")!;
    const december = report.months.find((m) => m.month === "2025-12")!;
    expect(november.from).toEqual(at("2025-10-31T23:00:00Z"));
    expect(november.to).toEqual(at("2025-11-30T23:00:00Z"));
    // The Paris month ends at 23:00 UTC: what was metered after is December's.
    expect(november.figures.itEnergyWh).toBe(await ledgerWh("2025-10-31T23:00:00Z", "2025-11-30T23:00:00Z"));
    expect(december.figures.itEnergyWh).toBe(await ledgerWh("2025-11-30T23:00:00Z", "2025-12-31T23:00:00Z"));
    expect(november.figures.itEnergyWh).toBeGreaterThan(0);
    expect(december.figures.itEnergyWh).toBeGreaterThan(0);
    const october = report.months.find((m) => m.month === "2025-10")!;
    expect(Object.values(october.figures).every((v) => v === 0)).toBe(true);
    // Both months together are the two tasks' labels.
    const labels = await Promise.all([alpha, beta].map((taskId) => workCarbonFacts(db, lumenScope(), { kind: "task", taskId })));
    expect(november.figures.itEnergyWh + december.figures.itEnergyWh).toBe(sum(labels.map((l) => l.itEnergyWh)));
    expect(report.total.itEnergyWh).toBe(november.figures.itEnergyWh + december.figures.itEnergyWh);
    expect(report.total.footprintG).toBeCloseTo(sum(labels.map((l) => l.footprintG)), 1);
  });

  it("splits a month by task: its totals are the sum of its tasks' facts", async () => {
    const month = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now });
    const months = await carbonMonths(db, lumenScope(), lumen, now);
    expect(month.organizationName).toBe("Lumen Animation Studio");
    expect(month.tasks.map((t) => t.name).sort()).toEqual(["alpha", "beta"]);
    expect(month.taskCount).toBe(2);
    const lines = month.tasks.map((t) => t.figures);
    // Energy exactly; grams within the lines' rounding (0.005 g each).
    expect(sum(lines.map((f) => f.itEnergyWh))).toBe(month.figures.itEnergyWh);
    expect(sum(lines.map((f) => f.reusedEnergyWh))).toBe(month.figures.reusedEnergyWh);
    for (const key of ["footprintG", "savedTotalG", "operationalG", "embodiedG"] as const) {
      expect(Math.abs(sum(lines.map((f) => f[key])) - month.figures[key])).toBeLessThanOrEqual(0.005 * lines.length + 1e-9);
    }
    // The month's detail and its row in the list are the same figures.
    const row = months.months.find((m) => m.month === "2025-11")!;
    expect(month.figures.itEnergyWh).toBe(row.figures.itEnergyWh);
    expect(month.figures.footprintG).toBeCloseTo(row.figures.footprintG, 2);
    expect(month.grid.annual.map((a) => a.country)).toEqual(["FR"]);
    // A task's lines over both months are its label.
    const december = await carbonMonth(db, lumenScope(), lumen, "2025-12", { now });
    const label = await workCarbonFacts(db, lumenScope(), { kind: "task", taskId: alpha });
    const alphaWh = [month, december].map((m) => m.tasks.find((t) => t.taskId === alpha)?.figures.itEnergyWh ?? 0);
    expect(sum(alphaWh)).toBe(label.itEnergyWh);
  });

  it("pages a month's tasks, and gives every line without a page size", async () => {
    const first = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now, page: 1, pageSize: 1 });
    const second = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now, page: 2, pageSize: 1 });
    expect([first.pages, first.tasks.length, second.page]).toEqual([2, 1, 2]);
    expect(first.tasks[0]!.figures.footprintG).toBeGreaterThanOrEqual(second.tasks[0]!.figures.footprintG);
    const all = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now, pageSize: null });
    expect(all.tasks.map((t) => t.taskId)).toEqual([first.tasks[0]!.taskId, second.tasks[0]!.taskId]);
  });

  it("keeps a deleted task's energy in its month, on a line of its own", async () => {
    const before = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now });
    const betaLine = before.tasks.find((t) => t.taskId === beta)!;
    expect(betaLine.figures.itEnergyWh).toBeGreaterThan(0);
    expect(await deleteTask(db, { organizationId: lumen, taskId: beta, now })).toBe(true);
    const after = await carbonMonth(db, lumenScope(), lumen, "2025-11", { now });
    expect(after.figures.itEnergyWh).toBe(before.figures.itEnergyWh);
    expect(after.figures.footprintG).toBeCloseTo(before.figures.footprintG, 2);
    const deleted = after.tasks.find((t) => t.taskId === null)!;
    expect(deleted.name).toBe(DELETED_TASKS);
    expect(deleted.figures.itEnergyWh).toBe(betaLine.figures.itEnergyWh);
    expect(after.tasks.at(-1)).toBe(deleted);
    const months = await carbonMonths(db, lumenScope(), lumen, now);
    expect(months.months.find((m) => m.month === "2025-11")!.figures.itEnergyWh).toBe(before.figures.itEnergyWh);
  });

  it("is NOT_FOUND for another customer, and its own report holds none of the first's work", async () => {
    await expect(carbonMonths(db, { organizationId: carmin }, lumen, now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(carbonMonth(db, { organizationId: carmin }, lumen, "2025-11", { now })).rejects.toBeInstanceOf(NotFoundError);
    const theirs = await carbonMonth(db, { organizationId: carmin }, carmin, "2025-11", { now });
    expect(theirs.tasks).toEqual([]);
    expect(theirs.figures.itEnergyWh).toBe(0);
    expect((await carbonMonths(db, { organizationId: carmin }, carmin, now)).total.footprintG).toBe(0);
  });

  it("refuses a month that is not one, or has not begun", async () => {
    for (const month of ["2025-13", "2025-1", "November", "2025-11-01"]) {
      await expect(carbonMonth(db, lumenScope(), lumen, month, { now })).rejects.toThrow(/YYYY-MM/);
    }
    await expect(carbonMonth(db, lumenScope(), lumen, "2026-01", { now })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(carbonMonth(db, lumenScope(), lumen, "2026-01", { now })).rejects.toThrow("2026-01 has not begun yet.");
  });
});
