import { createTranslator } from "next-intl";
import { MESSAGES } from "@/messages";
import type { Locale } from "@/server/i18n/locales";
import { formatEuros, formatPricePerKWh, formatStatementMonth, groupLines } from "@/server/domain/refund-statements";
import { CONTENT_WIDTH, INK, MARGIN, MUTED, openPdf, pdfText, type PdfColumn } from "./pdf-document";
import type { Statement } from "./refund-statements";

/**
 * A refund statement as a PDF laid out like a utility bill: who pays whom, the period, a line per
 * device and tariff period with its meter readings, the totals, the tariffs, the payment and the
 * building's average. Its text is real text in the statement's language (searchable, and read
 * aloud by screen readers); the IBAN only ever appears masked, as the statement holds it.
 */



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

  const { doc, write, rule, tableRow, footer, finish } = openPdf({ lang: locale, title, author: statement.operatorName, subject: t("pdf.title") });
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
  const columns: PdfColumn[] = [
    { title: t("statement.lines.room"), width: 70, align: "left" },
    { title: t("statement.lines.device"), width: 76, align: "left" },
    { title: t("statement.lines.period"), width: 54, align: "left" },
    { title: t("statement.lines.meterStart"), width: 60, align: "right" },
    { title: t("statement.lines.meterEnd"), width: 60, align: "right" },
    { title: t("statement.lines.energy"), width: 58, align: "right" },
    { title: t("statement.lines.price"), width: 60, align: "right" },
    { title: t("statement.lines.amount"), width: CONTENT_WIDTH - 438, align: "right" },
  ];
  const row = tableRow(columns);
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
  write(t("statement.lines.title"));
  doc.moveDown(0.3);
  row(
    columns.map((c) => c.title),
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
  footer(t("pdf.footer"), (page, pages) => t("pdf.page", { page, pages }));
  return finish();
}
