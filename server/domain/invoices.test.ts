import { describe, expect, it } from "vitest";
import { assembleInvoice, formatInvoiceMonth, INVOICE_CSV_HEADER, invoiceCsvRows, lineTaskLabel, type InvoiceLine } from "./invoices";

const line = (more: Partial<InvoiceLine>): InvoiceLine => ({
  taskId: "00000000-0000-4000-8000-000000000001",
  taskName: "frames",
  jobId: null,
  schedulingType: "Flex",
  rateCentsPerCoreHour: 25,
  attempts: 1,
  coreSeconds: 3600,
  billedMinutes: 60,
  amountCents: 25,
  ...more,
});

describe("invoices", () => {
  it("total the sum of their lines, largest first, a deleted task named as such", () => {
    const invoice = assembleInvoice({
      month: "2026-01",
      organizationName: "Lumen",
      operatorName: "Hearth Operations",
      inProgress: false,
      lines: [
        line({ amountCents: 25 }),
        line({ taskId: null, taskName: "gone", amountCents: 1_001, coreSeconds: 144_100, billedMinutes: 2_402, attempts: 3 }),
        line({ taskId: "00000000-0000-4000-8000-000000000002", taskName: "pricing", schedulingType: "OnDemand", rateCentsPerCoreHour: 40, amountCents: 40 }),
      ],
    });
    expect(invoice.lines.map(lineTaskLabel)).toEqual(["gone (deleted task)", "pricing", "frames"]);
    expect(invoice.totalCents).toBe(1_066);
    expect(invoice.totalCents).toBe(invoice.lines.reduce((n, l) => n + l.amountCents, 0));
    expect(invoice.coreSeconds).toBe(151_300);
    expect(invoice.billedMinutes).toBe(2_522);
    const rows = invoiceCsvRows(invoice);
    expect(rows[0]).toEqual([...INVOICE_CSV_HEADER]);
    expect(rows[1]).toEqual(["2026-01", "gone (deleted task)", "", "", "Flex", 25, 3, 144_100, 2_402, 1_001, "10.01"]);
    expect(rows.at(-1)).toEqual(["2026-01", "Total", "", "", "", "", 5, 151_300, 2_522, 1_066, "10.66"]);
  });

  it("name their month", () => {
    expect(formatInvoiceMonth("2026-01")).toBe("January 2026");
  });
});
