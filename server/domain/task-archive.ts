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

export type PriceSummary = {
  price: number;
  standardError: number;
  ci95Low: number;
  ci95High: number;
  paths: number;
  instances: number;
  parameters: Record<string, string | number | null>;
};

/** The pooled price as one CSV header and one row: the result's figures, then the option's parameters. */
export function priceSummaryCsv(summary: PriceSummary): string {
  const columns: Array<[string, string | number | null]> = [
    ["price", summary.price],
    ["standard_error", summary.standardError],
    ["ci95_low", summary.ci95Low],
    ["ci95_high", summary.ci95High],
    ["paths", summary.paths],
    ["instances", summary.instances],
    ...Object.entries(summary.parameters),
  ];
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${columns.map(([k]) => cell(k)).join(",")}\r\n${columns.map(([, v]) => cell(v)).join(",")}\r\n`;
}
