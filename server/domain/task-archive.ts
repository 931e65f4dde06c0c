import { stringify } from "csv-stringify/sync";
import type { ConsolidatedPrice } from "./task-results";

/**
 * What goes in a task's archive and under which names: the consolidated result in `result/`,
 * each instance's outputs in `instance-<n>/`. Pure, so that names and the summary are tested alone.
 */

/** A path inside the archive from a name a gateway gave: no absolute path, no `..`, no empty part. */
export function archiveEntryName(instanceNumber: number, outputName: string): string {
  const parts = outputName
    .split(/[\\/]+/)
    .map((p) => p.replace(/[\u0000-\u001f]/g, "_"))
    .filter((p) => p !== "" && p !== "." && p !== "..");
  return `instance-${instanceNumber}/${parts.length > 0 ? parts.join("/") : "output"}`;
}

/** The pooled price as one CSV header and one row: the result's figures, then the option's parameters. */
export function priceSummaryCsv(summary: ConsolidatedPrice): string {
  const { parameters, ...figures } = summary;
  const columns: Array<[string, string | number | null]> = [
    ["price", figures.price],
    ["standard_error", figures.standardError],
    ["ci95_low", figures.ci95Low],
    ["ci95_high", figures.ci95High],
    ["paths", figures.paths],
    ["instances", figures.instances],
    ...Object.entries(parameters),
  ];
  return stringify([columns.map(([name]) => name), columns.map(([, value]) => value)], { record_delimiter: "windows" });
}
