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
      paidFromCreditsCents: 400,
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
    expect(rows.at(-3)).toEqual(["2026-01", "Total", "", "", "", "", 5, 151_300, 2_522, 1_066, "10.66"]);
    // What the prepaid credits paid is taken off the total: the rest is due.
    expect(invoice.paidFromCreditsCents).toBe(400);
    expect(invoice.dueCents).toBe(666);
    expect(rows.slice(-2)).toEqual([
      ["2026-01", "Paid from prepaid credits", "", "", "", "", "", "", "", -400, "-4.00"],
      ["2026-01", "Amount due", "", "", "", "", "", "", "", 666, "6.66"],
    ]);
    expect(rows.every((r) => r.length === INVOICE_CSV_HEADER.length)).toBe(true);
  });

  it("owe nothing when the credits paid it all, and everything when they paid nothing", () => {
    const of = (paidFromCreditsCents: number) =>
      assembleInvoice({ month: "2026-01", organizationName: "Lumen", operatorName: "Hearth", inProgress: true, lines: [line({ amountCents: 25 })], paidFromCreditsCents });
    expect(of(25)).toMatchObject({ totalCents: 25, paidFromCreditsCents: 25, dueCents: 0 });
    expect(of(0)).toMatchObject({ totalCents: 25, paidFromCreditsCents: 0, dueCents: 25 });
    expect(invoiceCsvRows(of(0)).at(-2)).toEqual(["2026-01", "Paid from prepaid credits", "", "", "", "", "", "", "", 0, "0.00"]);
    // Credits never pay more than was charged, nor a negative amount.
    expect(() => of(26)).toThrow(RangeError);
    expect(() => of(-1)).toThrow(RangeError);
  });

  it("name their month", () => {
    expect(formatInvoiceMonth("2026-01")).toBe("January 2026");
  });
});
