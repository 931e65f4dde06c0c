import { stringify } from "csv-stringify/sync";
import type { roundedFacts } from "./carbon";
import { addMonths, localDate, localMidnightMs } from "./refunds";

/**
 * A customer's carbon report: its Carbon Facts month by month, and a month's per task. Pure: the
 * month arithmetic, and the CSV files (the service reads the ledger, server/domain/carbon.ts
 * computes the figures).
 *
 * Months are calendar months in the operator's zone, as on invoices: a month holds the ledger
 * rows whose metering period ended in it. Its zone's offsets are whole hours, so each hour the
 * methodology prices falls in one month.
 */

export const CARBON_REPORT_TIME_ZONE = "Europe/Paris";

/** Months the report shows, the current one included. */
export const CARBON_REPORT_MONTHS = 12;

/** A month as the report names it: "2026-01". */
export const CARBON_MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export type RoundedFacts = ReturnType<typeof roundedFacts>;

/** The month holding an instant, "YYYY-MM". */
export function carbonMonthOf(atMs: number): string {
  return localDate(atMs, CARBON_REPORT_TIME_ZONE).slice(0, 7);
}

/** The month `n` months after `month` (n may be negative). */
export function shiftMonth(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7);
}

/** The first instant of a month and of the next. */
export function monthBounds(month: string): { from: Date; to: Date } {
  return {
    from: new Date(localMidnightMs(`${month}-01`, CARBON_REPORT_TIME_ZONE)),
    to: new Date(localMidnightMs(addMonths(`${month}-01`, 1), CARBON_REPORT_TIME_ZONE)),
  };
}

/** The report's months, oldest first, ending with the month holding `nowMs`. */
export function reportMonths(nowMs: number, count = CARBON_REPORT_MONTHS): string[] {
  const last = carbonMonthOf(nowMs);
  return Array.from({ length: count }, (_, i) => shiftMonth(last, i - count + 1));
}

/** "January 2026". */
export function formatCarbonMonth(month: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}

/** A spreadsheet would run a cell that starts like a formula: such text is kept as text. */
function csvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const FIGURE_COLUMNS: Array<[string, (f: RoundedFacts) => number]> = [
  ["consumed_energy_Wh", (f) => f.consumedEnergyWh],
  ["it_energy_Wh", (f) => f.itEnergyWh],
  ["reused_energy_Wh", (f) => f.reusedEnergyWh],
  ["footprint_gCO2e", (f) => f.footprintG],
  ["operational_gCO2e", (f) => f.operationalG],
  ["embodied_gCO2e", (f) => f.embodiedG],
  ["avoided_gCO2e", (f) => f.savedTotalG],
  ["avoided_compute_gCO2e", (f) => f.savedComputeG],
  ["avoided_heat_gCO2e", (f) => f.savedHeatG],
  ["instance_hours", (f) => f.instanceHours],
  ["sci_gCO2e_per_instance_hour", (f) => f.sciGPerInstanceHour],
];

const csv = (rows: Array<Array<string | number>>) => stringify(rows, { record_delimiter: "windows" });

/** The months' CSV: one row a month, the label's rounding, the methodology that made it. */
export function monthsCsv(months: ReadonlyArray<{ month: string; figures: RoundedFacts }>, methodologyVersion: string): string {
  return csv([
    ["month", ...FIGURE_COLUMNS.map(([name]) => name), "methodology_version"],
    ...months.map((m) => [m.month, ...FIGURE_COLUMNS.map(([, value]) => value(m.figures)), methodologyVersion]),
  ]);
}

export type CarbonTaskLine = { taskId: string | null; name: string; figures: RoundedFacts };

/** A month's CSV: one row a task (a deleted task's without id), the label's rounding. */
export function monthTasksCsv(month: string, lines: readonly CarbonTaskLine[], methodologyVersion: string): string {
  return csv([
    ["month", "task_id", "task_name", ...FIGURE_COLUMNS.map(([name]) => name), "methodology_version"],
    ...lines.map((l) => [month, l.taskId ?? "", csvText(l.name), ...FIGURE_COLUMNS.map(([, value]) => value(l.figures)), methodologyVersion]),
  ]);
}
