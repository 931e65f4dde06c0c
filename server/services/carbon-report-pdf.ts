import { formatCarbonMonth } from "@/server/domain/carbon-report";
import type { CarbonMonth } from "./carbon-report";
import { CONTENT_WIDTH, INK, MARGIN, MUTED, openPdf, pdfText, type PdfColumn } from "./pdf-document";

/**
 * A month's carbon report as a PDF: the month's Carbon Facts, a line per task, the methodology
 * version that made them and the grid data they used, with its sources. Real text (searchable,
 * read aloud), the figures rounded as on the labels.
 */


const number = (digits: number) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits });
const wh = (x: number) => `${number(2).format(x)} Wh`;
const grams = (g: number) => `${number(2).format(g)} gCO2e`;


export async function renderCarbonReportPdf(report: CarbonMonth, issuedAt = new Date()): Promise<Buffer> {
  const month = formatCarbonMonth(report.month);
  const title = `Carbon report · ${month}`;
  const f = report.figures;
  const { doc, write, rule, tableRow, footer, finish } = openPdf({
    lang: "en",
    title: `${title} · ${report.organizationName}`,
    author: "Hearth",
    subject: "Carbon Facts by month and by task",
  });

  const heading = (text: string) => {
    doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
    write(text);
    doc.moveDown(0.2);
  };
  const day = (date: Date) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: report.timeZone }).format(date);

  // Header: whose report, which month.
  const top = doc.y;
  doc.font("Helvetica-Bold").fontSize(16).fillColor(INK);
  write(report.organizationName, { width: CONTENT_WIDTH / 2 });
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  write(`Issued ${day(issuedAt)}`, { width: CONTENT_WIDTH / 2 });
  const afterLeft = doc.y;
  doc.font("Helvetica-Bold").fontSize(13).fillColor(INK);
  doc.text("Carbon report", MARGIN + CONTENT_WIDTH / 2, top, { width: CONTENT_WIDTH / 2, align: "right" });
  doc.font("Helvetica").fontSize(11);
  write(month, { width: CONTENT_WIDTH / 2, align: "right" });
  doc.x = MARGIN;
  doc.y = Math.max(afterLeft, doc.y);
  doc.moveDown(0.4);
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  write(
    `The work metered from ${day(report.from)} to ${day(new Date(report.to.getTime() - 1))}, Paris time (${report.timeZone}), ` +
      `tasks deleted since included. Computed by methodology ${report.methodologyVersion}, compared with the ${report.datacenter.label.toLowerCase()} (PUE ${report.datacenter.pue.value}).`,
  );
  rule();

  // The month's Carbon Facts, the footprint apart from what was avoided.
  const facts: Array<[string, string, boolean?]> = [
    ["Energy consumed", wh(f.consumedEnergyWh), true],
    ["IT energy, radiators' meters", wh(f.itEnergyWh)],
    ["Gateways' share", wh(f.overheadEnergyWh)],
    ["Reused as heat a room asked for", wh(f.reusedEnergyWh)],
    ["Carbon footprint", grams(f.footprintG), true],
    [`Electricity, at ${number(1).format(f.meanGridGPerKWh)} g/kWh`, grams(f.operationalG)],
    ["Hardware manufacture, its share", grams(f.embodiedG)],
    ["Per instance-hour (SCI)", `${grams(f.sciGPerInstanceHour)} / ${number(3).format(f.instanceHours)} h`],
    ["Avoided, reported apart", grams(f.savedTotalG), true],
    [`Compute, against the ${report.datacenter.label.toLowerCase()}`, grams(f.savedComputeG)],
    ["Heating it replaced in the rooms", grams(f.savedHeatG)],
    ["Saved, of datacenter plus heating", `${number(1).format(f.savedPercent)} %`],
    ["PUE · ERE · ERF · WUE", `${f.pue} · ${f.ere} · ${f.erf} · ${f.wue} L/kWh`],
  ];
  heading("Carbon Facts of the month");
  for (const [label, value, strong] of facts) {
    const y = doc.y;
    doc.font(strong ? "Helvetica-Bold" : "Helvetica").fontSize(9).fillColor(strong ? INK : MUTED);
    doc.text(pdfText(strong ? label : `   ${label}`), MARGIN, y, { width: CONTENT_WIDTH * 0.6 });
    doc.font(strong ? "Helvetica-Bold" : "Helvetica").fillColor(INK);
    doc.text(pdfText(value), MARGIN + CONTENT_WIDTH * 0.6, y, { width: CONTENT_WIDTH * 0.4, align: "right" });
    doc.x = MARGIN;
  }
  doc.font("Helvetica").fontSize(8).fillColor(MUTED);
  doc.moveDown(0.3);
  write("The footprint is never lowered by what was avoided.");
  rule();

  // A line per task.
  const columns: PdfColumn[] = [
    { title: "Task", width: CONTENT_WIDTH - 300, align: "left" },
    { title: "Energy consumed", width: 100, align: "right" },
    { title: "Footprint", width: 100, align: "right" },
    { title: "Avoided", width: 100, align: "right" },
  ];
  const row = tableRow(columns);
  heading(`Tasks (${number(0).format(report.taskCount)})`);
  row(
    columns.map((c) => c.title),
    "Helvetica-Bold",
    MUTED,
  );
  if (report.tasks.length === 0) row(["No work was metered this month.", "", "", ""], "Helvetica", MUTED);
  for (const line of report.tasks) {
    row([line.name, wh(line.figures.consumedEnergyWh), grams(line.figures.footprintG), grams(line.figures.savedTotalG)], "Helvetica");
  }
  row(["Month", wh(f.consumedEnergyWh), grams(f.footprintG), grams(f.savedTotalG)], "Helvetica-Bold");
  doc.font("Helvetica").fontSize(8).fillColor(MUTED);
  doc.moveDown(0.3);
  write("Each line is rounded on its own, as on the task's label; the month is computed once from all its energy and rounded once.");
  rule();

  // Where the figures come from.
  heading(`Methodology ${report.methodologyVersion}`);
  doc.font("Helvetica").fontSize(9).fillColor(INK);
  write("Formulas, factors and their sources: Carbon methodology page of the compute portal (/compute/carbon/methodology).");
  doc.moveDown(0.4);
  heading("Grid carbon intensity used");
  doc.font("Helvetica").fontSize(9).fillColor(INK);
  const { grid } = report;
  write(`${grid.hoursHourly} h from hourly series, ${grid.hoursAnnual} h from the annual factor${grid.hoursUnknown > 0 ? `, ${grid.hoursUnknown} h with no known intensity (counted as 0)` : ""}.`);
  for (const i of grid.imports) write(`Hourly series, ${i.country}: ${i.source} (${i.fileName})`);
  for (const a of grid.annual) write(`Annual factor, ${a.country}: ${a.gPerKWh} g/kWh from ${a.effectiveFrom}; ${a.source}`);
  if (grid.imports.length === 0 && grid.annual.length === 0) write("None: no work was metered this month.");

  // Footer on every page.
  footer(`${report.organizationName} · ${title} · ${report.methodologyVersion}`, (page, pages) => `Page ${page} of ${pages}`);
  return finish();
}
