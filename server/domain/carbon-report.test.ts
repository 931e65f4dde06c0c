import { describe, expect, it } from "vitest";
import { carbonFacts, roundedFacts } from "./carbon";
import { carbonMonthOf, formatCarbonMonth, monthBounds, monthsCsv, monthTasksCsv, reportMonths, shiftMonth } from "./carbon-report";

const zeros = roundedFacts(carbonFacts([], { hourly: new Map(), annual: [] }));
const figures = { ...zeros, consumedEnergyWh: 1234, itEnergyWh: 1200, reusedEnergyWh: 1100, footprintG: 30.27, savedTotalG: 140.5, instanceHours: 2.5 };

describe("the carbon report's months", () => {
  it("are calendar months in Paris time, winter and summer", () => {
    expect(monthBounds("2026-01")).toEqual({ from: new Date("2025-12-31T23:00:00Z"), to: new Date("2026-01-31T23:00:00Z") });
    // March ends in summer time, October begins in it.
    expect(monthBounds("2026-03")).toEqual({ from: new Date("2026-02-28T23:00:00Z"), to: new Date("2026-03-31T22:00:00Z") });
    expect(monthBounds("2026-10").to).toEqual(new Date("2026-10-31T23:00:00Z"));
    expect(carbonMonthOf(Date.parse("2026-01-31T22:59:59Z"))).toBe("2026-01");
    expect(carbonMonthOf(Date.parse("2026-01-31T23:00:00Z"))).toBe("2026-02");
  });

  it("are the twelve ending with the current one, across a new year", () => {
    const months = reportMonths(Date.parse("2026-02-10T12:00:00Z"));
    expect(months).toHaveLength(12);
    expect([months[0], months[10], months[11]]).toEqual(["2025-03", "2026-01", "2026-02"]);
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(formatCarbonMonth("2026-02")).toBe("February 2026");
  });
});

describe("the carbon report's CSV", () => {
  it("has a row a month with the label's figures and the methodology", () => {
    const text = monthsCsv(
      [
        { month: "2026-01", figures },
        { month: "2026-02", figures: zeros },
      ],
      "hearth-carbon-1",
    );
    const rows = text.trimEnd().split("\r\n").map((r) => r.split(","));
    expect(rows[0]).toEqual([
      "month", "consumed_energy_Wh", "it_energy_Wh", "reused_energy_Wh", "footprint_gCO2e", "operational_gCO2e", "embodied_gCO2e",
      "avoided_gCO2e", "avoided_compute_gCO2e", "avoided_heat_gCO2e", "instance_hours", "sci_gCO2e_per_instance_hour", "methodology_version",
    ]);
    expect(rows[1]).toEqual(["2026-01", "1234", "1200", "1100", "30.27", "0", "0", "140.5", "0", "0", "2.5", "0", "hearth-carbon-1"]);
    expect(rows[2]).toEqual(["2026-02", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "hearth-carbon-1"]);
  });

  it("has a row a task, a deleted task's without id, a name that looks like a formula kept as text", () => {
    const text = monthTasksCsv(
      "2026-01",
      [
        { taskId: "00000000-0000-4000-8000-000000000001", name: "=HYPERLINK(\"x\")", figures },
        { taskId: null, name: "Deleted tasks", figures: zeros },
      ],
      "hearth-carbon-1",
    );
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]!.startsWith("month,task_id,task_name,consumed_energy_Wh,")).toBe(true);
    expect(lines[1]).toBe(`2026-01,00000000-0000-4000-8000-000000000001,"'=HYPERLINK(""x"")",1234,1200,1100,30.27,0,0,140.5,0,0,2.5,0,hearth-carbon-1`);
    expect(lines[2]).toBe("2026-01,,Deleted tasks,0,0,0,0,0,0,0,0,0,0,0,hearth-carbon-1");
  });
});
