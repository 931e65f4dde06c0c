import { formatEuros } from "@/server/domain/billing";
import { AMOUNT_DUE, formatInvoiceMonth, lineTaskLabel, PAID_FROM_CREDITS, type Invoice } from "@/server/domain/invoices";
import { CONTENT_WIDTH, INK, MUTED, openPdf, type PdfColumn } from "./pdf-document";

/**
 * A month's invoice as a PDF: who is invoiced for which month, a line per task and price, the
 * total (the sum of the lines), what the prepaid credits paid of it, the amount due, and the
 * billing rule. Real text, searchable and read aloud.
 */

export async function renderInvoicePdf(invoice: Invoice, opts: { issuedAt: Date }): Promise<Buffer> {
  const month = formatInvoiceMonth(invoice.month);
  const title = invoice.inProgress ? `Charges so far · ${month}` : `Invoice · ${month}`;
  const { doc, write, rule, tableRow, finish } = openPdf({ lang: "en", title, author: invoice.operatorName, subject: "Compute invoice" });

  doc.font("Helvetica-Bold").fontSize(16).fillColor(INK);
  write(invoice.operatorName);
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  write(`Issued ${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" }).format(opts.issuedAt)}`);
  doc.moveDown(0.5);
  doc.font("Helvetica-Bold").fontSize(13).fillColor(INK);
  write(title);
  doc.font("Helvetica").fontSize(10);
  write(`Customer: ${invoice.organizationName}`);
  if (invoice.inProgress) write("The month is not over: these are the charges so far.");
  rule();

  const columns: PdfColumn[] = [
    { title: "Task", width: 170, align: "left" },
    { title: "Scheduling", width: 62, align: "left" },
    { title: "Rate per core-hour", width: 70, align: "right" },
    { title: "Core-seconds", width: 70, align: "right" },
    { title: "Billed core-minutes", width: 62, align: "right" },
    { title: "Amount", width: CONTENT_WIDTH - 434, align: "right" },
  ];
  const row = tableRow(columns);
  const n = (value: number) => value.toLocaleString("en-GB");
  row(
    columns.map((c) => c.title),
    "Helvetica-Bold",
    MUTED,
  );
  for (const l of invoice.lines) {
    row([lineTaskLabel(l), l.schedulingType, formatEuros(l.rateCentsPerCoreHour), n(l.coreSeconds), n(l.billedMinutes), formatEuros(l.amountCents)], "Helvetica");
  }
  if (invoice.lines.length === 0) row(["No charges yet.", "", "", "", "", ""], "Helvetica", MUTED);
  row(["Total", "", "", n(invoice.coreSeconds), n(invoice.billedMinutes), formatEuros(invoice.totalCents)], "Helvetica-Bold");
  row([PAID_FROM_CREDITS, "", "", "", "", formatEuros(-invoice.paidFromCreditsCents || 0)], "Helvetica");
  row([AMOUNT_DUE, "", "", "", "", formatEuros(invoice.dueCents)], "Helvetica-Bold");
  doc.moveDown(1);
  doc.font("Helvetica").fontSize(8).fillColor(MUTED);
  write(
    "Each attempt of an instance that ended is billed for its cores over its run, by the started minute (billed minutes = " +
      "ceil(core-seconds / 60)), at its scheduling type's rate when it ended; each charge is rounded once to the cent, half up. " +
      "Work lost to a radiator that went silent is never billed. Months are calendar months in Europe/Paris time. " +
      "Each charge is paid from the prepaid credits as far as they go, when it is made; the rest is the amount due.",
    { width: CONTENT_WIDTH },
  );
  return finish();
}
