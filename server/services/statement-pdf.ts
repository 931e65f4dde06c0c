import PDFDocument from "pdfkit";
import { createTranslator } from "next-intl";
import { MESSAGES } from "@/messages";
import type { Locale } from "@/server/i18n/locales";
import { formatEuros, formatPricePerKWh, formatStatementMonth, groupLines } from "@/server/domain/refund-statements";
import type { Statement } from "./refund-statements";

/**
 * A refund statement as a PDF laid out like a utility bill: who pays whom, the period, a line per
 * device and tariff period with its meter readings, the totals, the tariffs, the payment and the
 * building's average. Its text is real text in the statement's language (searchable, and read
 * aloud by screen readers); the IBAN only ever appears masked, as the statement holds it.
 */

const MARGIN = 48;
const PAGE_WIDTH = 595.28; // A4
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const INK = "#1c1917";
const MUTED = "#57534e";
const RULE = "#d6d3d1";

/**
 * The standard PDF fonts speak WinAnsi: Latin-1 plus a few signs (€, typographic quotes, dashes,
 * the bullets of a masked IBAN). The narrow no-break space that French number formats use becomes
 * a no-break space; anything else outside becomes "?" rather than garbage.
 */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export function pdfText(text: string): string {
  let out = "";
  for (const char of text.replace(/[\u202f\u2009\u2007]/g, "\u00a0")) {
    const code = char.codePointAt(0)!;
    out += (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) ? char : "?";
  }
  return out;
}

type Column = { key: string; width: number; align: "left" | "right" };

export async function renderStatementPdf(statement: Statement, locale: Locale): Promise<Buffer> {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "refunds" });
  const zone = statement.dwelling.timeZone;
  const euros = (cents: number) => pdfText(formatEuros(cents, locale));
  const kwh = (wh: number | null) => (wh === null ? "—" : pdfText(t("kwh", { value: wh / 1000 })));
  const day = (date: Date) => new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", timeZone: zone }).format(date);
  const longDay = (date: Date | string) =>
    new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: typeof date === "string" ? "UTC" : zone }).format(
      typeof date === "string" ? new Date(`${date}T00:00:00Z`) : date,
    );
  const month = formatStatementMonth(statement.month, locale);
  const title = `${t("pdf.title")} · ${month}`;

  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    lang: locale,
    displayTitle: true,
    bufferPages: true,
    info: { Title: pdfText(title), Author: pdfText(statement.operatorName), Subject: pdfText(t("pdf.title")) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const write = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(text), options);
  const rule = () => {
    doc.moveDown(0.4);
    doc.moveTo(MARGIN, doc.y).lineTo(PAGE_WIDTH - MARGIN, doc.y).strokeColor(RULE).lineWidth(0.7).stroke();
    doc.moveDown(0.6);
  };
  const field = (label: string, value: string) => {
    doc.font("Helvetica").fontSize(9).fillColor(MUTED);
    write(t("pdf.field", { label }), { continued: true });
    doc.font("Helvetica-Bold").fillColor(INK);
    write(value);
  };

  // Header: who issues the statement, and for which home and month.
  const top = doc.y;
  doc.font("Helvetica-Bold").fontSize(16).fillColor(INK);
  write(statement.operatorName, { width: CONTENT_WIDTH / 2 });
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  write(t("pdf.issued", { date: longDay(statement.createdAt) }), { width: CONTENT_WIDTH / 2 });
  const afterLeft = doc.y;
  doc.font("Helvetica-Bold").fontSize(13).fillColor(INK);
  doc.text(pdfText(t("pdf.title")), MARGIN + CONTENT_WIDTH / 2, top, { width: CONTENT_WIDTH / 2, align: "right" });
  doc.font("Helvetica").fontSize(11);
  write(month, { width: CONTENT_WIDTH / 2, align: "right" });
  doc.x = MARGIN;
  doc.y = Math.max(afterLeft, doc.y);
  rule();

  const { dwelling } = statement;
  field(t("pdf.dwelling"), t("pdf.dwellingValue", { label: dwelling.label, building: dwelling.buildingName, address: dwelling.address, city: dwelling.city }));
  field(t("pdf.holder"), statement.holderName);
  field(t("pdf.iban"), statement.ibanMasked);
  const periods = statement.lines.filter((l) => l.kind !== "adjustment");
  if (periods.length > 0) {
    const from = new Date(Math.min(...periods.map((l) => l.periodStart.getTime())));
    const to = new Date(Math.max(...periods.map((l) => l.periodEnd.getTime())) - 1);
    field(t("pdf.period"), t("statement.periodValue", { from: longDay(from), to: longDay(to) }));
  } else field(t("pdf.period"), month);
  rule();

  // The lines, grouped by device, as a table.
  const columns: Column[] = [
    { key: t("statement.lines.room"), width: 70, align: "left" },
    { key: t("statement.lines.device"), width: 76, align: "left" },
    { key: t("statement.lines.period"), width: 54, align: "left" },
    { key: t("statement.lines.meterStart"), width: 60, align: "right" },
    { key: t("statement.lines.meterEnd"), width: 60, align: "right" },
    { key: t("statement.lines.energy"), width: 58, align: "right" },
    { key: t("statement.lines.price"), width: 60, align: "right" },
    { key: t("statement.lines.amount"), width: CONTENT_WIDTH - 438, align: "right" },
  ];
  const row = (cells: string[], font: "Helvetica" | "Helvetica-Bold", color = INK) => {
    doc.font(font).fontSize(8).fillColor(color);
    const heights = cells.map((cell, i) => doc.heightOfString(pdfText(cell), { width: columns[i]!.width - 4 }));
    const height = Math.max(...heights) + 4;
    if (doc.y + height > doc.page.height - MARGIN - 24) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(pdfText(cell), x + 2, y + 2, { width: columns[i]!.width - 4, align: columns[i]!.align, lineBreak: true });
      x += columns[i]!.width;
    });
    doc.x = MARGIN;
    doc.y = y + height;
    doc.moveTo(MARGIN, doc.y).lineTo(PAGE_WIDTH - MARGIN, doc.y).strokeColor(RULE).lineWidth(0.4).stroke();
  };
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
  write(t("statement.lines.title"));
  doc.moveDown(0.3);
  row(
    columns.map((c) => c.key),
    "Helvetica-Bold",
    MUTED,
  );
  for (const group of groupLines(statement.lines)) {
    const device =
      group.kind === "adjustment"
        ? t("statement.lines.adjustment", { month: formatStatementMonth(group.energyMonth.slice(0, 7), locale) })
        : t(group.kind === "gateway" ? "statement.lines.gateway" : "statement.lines.radiator", { serial: group.deviceSerial });
    group.lines.forEach((line, i) => {
      row(
        [
          i === 0 ? (group.roomName ?? t("statement.lines.noRoom")) : "",
          i === 0 ? device : "",
          line.kind === "adjustment" ? "—" : `${day(line.periodStart)}–${day(new Date(line.periodEnd.getTime() - 1))}`,
          kwh(line.meterStartWh),
          kwh(line.meterEndWh),
          kwh(line.energyWh),
          formatPricePerKWh(line.priceMicroEurosPerKWh, locale),
          euros(line.amountCents),
        ],
        "Helvetica",
      );
    });
  }
  row([t("statement.lines.total"), "", "", "", "", kwh(statement.energyWh), "", euros(statement.amountCents)], "Helvetica-Bold");
  doc.moveDown(1);

  // Totals and payment.
  doc.font("Helvetica-Bold").fontSize(13).fillColor(INK);
  write(`${t("pdf.total")}: ${euros(statement.amountCents)}`);
  doc.moveDown(0.2);
  field(t("pdf.energy"), kwh(statement.energyWh));
  field(
    t("pdf.payment"),
    statement.payment ? t("pdf.paid", { date: longDay(statement.payment.paidOn), reference: statement.payment.reference }) : t("pdf.due"),
  );
  rule();

  // Tariff versions.
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
  write(t("statement.tariffs.title"));
  doc.moveDown(0.2);
  for (const tariff of statement.tariffs) {
    doc.font("Helvetica").fontSize(9).fillColor(INK);
    write(
      `${tariff.label} · ${t("statement.tariffs.from")} ${longDay(tariff.effectiveFrom)} · ${formatPricePerKWh(tariff.priceMicroEurosPerKWh, locale)}`,
    );
    doc.fillColor(MUTED);
    write(`${t("statement.tariffs.source")}: ${tariff.source}`);
  }
  rule();

  // The building's average, never a neighbour's figure.
  const perM2 = (wh: number | null) => (wh === null ? "—" : pdfText(t("statement.comparison.perM2", { value: wh / 1000 })));
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
  write(t("pdf.comparisonTitle"));
  doc.font("Helvetica").fontSize(9);
  write(t("pdf.comparisonHome", { value: perM2(statement.comparison.homeWhPerM2) }));
  write(
    statement.comparison.buildingWhPerM2 === null
      ? t("pdf.comparisonHidden", { minimum: statement.comparison.minimumDwellings })
      : t("pdf.comparisonBuilding", { count: statement.comparison.dwellings, value: perM2(statement.comparison.buildingWhPerM2) }),
  );

  // Footer on every page: what the figures are, and where in the statement the reader is.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - MARGIN;
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(7).fillColor(MUTED);
    doc.text(pdfText(t("pdf.footer")), MARGIN, bottom - 4, { width: CONTENT_WIDTH * 0.8, lineBreak: true });
    doc.text(pdfText(t("pdf.page", { page: i + 1, pages: range.count })), MARGIN, bottom - 4, { width: CONTENT_WIDTH, align: "right" });
  }
  doc.end();
  return ended;
}
