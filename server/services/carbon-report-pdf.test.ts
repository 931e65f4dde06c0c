import { describe, expect, it } from "vitest";
import { carbonFacts, CURRENT_METHODOLOGY, roundedFacts } from "@/server/domain/carbon";
import { renderCarbonReportPdf } from "./carbon-report-pdf";
import type { CarbonMonth } from "./carbon-report";
import { readPdfText } from "@/server/test/pdf-text";


const zeros = roundedFacts(carbonFacts([], { hourly: new Map(), annual: [] }));
const line = (consumedEnergyWh: number, footprintG: number, savedTotalG: number) => ({ ...zeros, consumedEnergyWh, itEnergyWh: consumedEnergyWh, footprintG, savedTotalG });

/** A month as the service answers it, every line included. */
const report = (tasks: CarbonMonth["tasks"]): CarbonMonth => ({
  month: "2026-01",
  from: new Date("2025-12-31T23:00:00Z"),
  to: new Date("2026-01-31T23:00:00Z"),
  timeZone: "Europe/Paris",
  organizationName: "Lumen Animation Studio",
  methodologyVersion: "hearth-carbon-1",
  datacenter: CURRENT_METHODOLOGY.datacenters[0]!,
  figures: { ...line(13_456, 312.47, 1_508.2), reusedEnergyWh: 12_000, sciGPerInstanceHour: 4.21, instanceHours: 74.2, pue: 1.012 },
  grid: {
    hoursHourly: 5,
    hoursAnnual: 739,
    hoursUnknown: 0,
    annual: [{ id: 2, country: "FR", effectiveFrom: "2025-01-01", gPerKWh: 21.7, source: "RTE, Bilan électrique 2024" }],
    imports: [{ id: 7, country: "FR", source: "RTE éCO2mix", fileName: "eCO2mix_RTE_2026-01.csv" }],
  },
  tasks,
  taskCount: tasks.length,
  page: 1,
  pages: 1,
});


describe("renderCarbonReportPdf", () => {
  it("writes the month's totals, its tasks, the methodology version and the grid's sources as text", async () => {
    const pdf = await renderCarbonReportPdf(
      report([
        { taskId: "00000000-0000-4000-8000-000000000001", name: "Rendu séquence 12", figures: line(9_000, 210.5, 1_000.25) },
        { taskId: null, name: "Deleted tasks", figures: line(4_456, 101.97, 507.95) },
      ]),
      new Date("2026-02-03T09:00:00Z"),
    );
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { text } = await readPdfText(pdf);
    for (const expected of [
      "Lumen Animation Studio",
      "Carbon report",
      "January 2026",
      "Issued 3 February 2026",
      "1 January 2026 to 31 January 2026",
      "Europe/Paris",
      "13,456 Wh",
      "312.47 gCO2e",
      "1,508.2 gCO2e",
      "Rendu séquence 12",
      "9,000 Wh",
      "210.5 gCO2e",
      "Deleted tasks",
      "Methodology hearth-carbon-1",
      "RTE éCO2mix (eCO2mix_RTE_2026-01.csv)",
      "21.7 g/kWh from 2025-01-01; RTE, Bilan électrique 2024",
      "5 h from hourly series, 739 h from the annual factor",
      "never lowered by what was avoided",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("says so for a month without work, and runs a long month over pages", async () => {
    expect((await readPdfText(await renderCarbonReportPdf(report([])))).text).toContain("No work was metered this month.");
    const many = Array.from({ length: 120 }, (_, i) => ({ taskId: `t${i}`, name: `task ${i + 1}`, figures: line(100, 2, 9) }));
    const { text, pages } = await readPdfText(await renderCarbonReportPdf(report(many)));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain("task 120");
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });
});
