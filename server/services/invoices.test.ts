import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { grantCredits } from "./billing";
import { NotFoundError } from "./errors";
import { renderInvoicePdf } from "./invoice-pdf";
import { getInvoice, invoiceCsv, listInvoiceMonths } from "./invoices";
import { createTask, deleteTask } from "./tasks";
import { readPdfText } from "@/server/test/pdf-text";

/** Invoices by month from the charges ledger: totals are the sum of the lines; CSV and PDF say the same. */
const db = useTestDb();
const january = new Date("2026-01-15T10:00:00Z");
const february = new Date("2026-02-10T10:00:00Z");
const at = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);
let lumen: string;
let carmin: string;

const textOf = async (pdf: Buffer) => (await readPdfText(pdf)).text;

/** A task of `instances` monte-carlo instances that each run `seconds` from `from`. */
async function ran(name: string, instances: number, seconds: number, from: Date, schedulingType: "Flex" | "OnDemand" = "Flex") {
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 4, from);
  const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name, instanceCount: instances, schedulingType, now: from });
  await startAll(db, task.id, from);
  await finish(db, task.id, [...Array(instances).keys()], "succeeded", at(from, seconds));
  return task;
}

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
});

describe("invoices", () => {
  it("have a line per task, a deleted task's kept and named, a total that is the sum of the lines, and what the credits paid of it", async () => {
    // 60 c of prepaid credits: the first 60 c of charges are paid from them, the rest is due.
    await grantCredits(db, { organizationId: lumen, amountCents: 60, note: "order", userId: null, now: january });
    const frames = await ran("frames", 2, 3600, january); // 2 × 25 c
    const pricing = await ran("pricing", 3, 61, january, "OnDemand"); // 3 × 2 min at 40 c = 4 c, rounded once for the task
    const gone = await ran("gone", 1, 7200, january); // 50 c
    await ran("next month", 1, 3600, february);
    await deleteTask(db, { organizationId: lumen, taskId: gone.id, now: at(january, 8000) });

    const later = at(february, 7200);
    const invoice = await getInvoice(db, { organizationId: lumen, month: "2026-01", now: later });
    expect(invoice.inProgress).toBe(false);
    expect(invoice.lines.map((l) => [l.taskId, l.taskName, l.attempts, l.coreSeconds, l.billedMinutes, l.amountCents])).toEqual([
      [frames.id, "frames", 2, 7200, 120, 50],
      [null, "gone", 1, 7200, 120, 50],
      [pricing.id, "pricing", 3, 183, 6, 4],
    ]);
    expect(invoice.totalCents).toBe(104);
    expect(invoice.totalCents).toBe(invoice.lines.reduce((n, l) => n + l.amountCents, 0));
    expect([invoice.paidFromCreditsCents, invoice.dueCents]).toEqual([60, 44]);
    // The ledger agrees: every charge of January is on a line.
    const [ledger] = await db.execute<{ cents: string }>(sql`
      select sum(amount_cents) as cents from task_charges where organization_id = ${lumen} and charged_at < '2026-02-01T00:00:00+01:00'`);
    expect(Number(ledger!.cents)).toBe(104);

    expect(await listInvoiceMonths(db, { organizationId: lumen, now: later })).toEqual([
      // The credits were spent in January: February's charge is all due.
      { month: "2026-02", totalCents: 25, paidFromCreditsCents: 0, dueCents: 25, tasks: 1, inProgress: true },
      { month: "2026-01", totalCents: 104, paidFromCreditsCents: 60, dueCents: 44, tasks: 3, inProgress: false },
    ]);

    // No field here holds a comma or a quote: the CSV splits plainly (csv-stringify quotes those that do).
    const csv = invoiceCsv(invoice).trimEnd().split("\r\n").map((r) => r.split(","));
    expect(csv[0]).toEqual(["month", "task", "task_id", "job_id", "scheduling_type", "rate_cents_per_core_hour", "attempts", "core_seconds", "billed_core_minutes", "amount_cents", "amount_eur"]);
    expect(csv.slice(1, -3).map((r) => [r[1], r[9], r[10]])).toEqual([
      ["frames", "50", "0.50"],
      ["gone (deleted task)", "50", "0.50"],
      ["pricing", "4", "0.04"],
    ]);
    expect(csv.at(-3)).toEqual(["2026-01", "Total", "", "", "", "", "6", "14583", "246", "104", "1.04"]);
    expect(csv.slice(1, -3).reduce((n, r) => n + Number(r[9]), 0)).toBe(Number(csv.at(-3)![9]));
    // After the total: what the credits paid, taken off, and the amount due.
    expect(csv.slice(-2)).toEqual([
      ["2026-01", "Paid from prepaid credits", "", "", "", "", "", "", "", "-60", "-0.60"],
      ["2026-01", "Amount due", "", "", "", "", "", "", "", "44", "0.44"],
    ]);

    const pdf = await renderInvoicePdf(invoice, { issuedAt: february });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await textOf(pdf);
    expect(text).toContain("Invoice · January 2026");
    expect(text).toContain("Lumen Animation Studio");
    expect(text).toContain("gone (deleted task)");
    expect(text).toContain("pricing");
    expect(text).toContain("€0.40"); // OnDemand's rate per core-hour
    expect(text).toContain("€1.04");
    expect(text).toMatch(/Paid from prepaid credits\s+-€0\.60/);
    expect(text).toMatch(/Amount due\s+€0\.44/);
    expect(text).not.toContain("next month");
  });

  it("show the current month so far, even empty; a month without charges, or another customer's, is not found", async () => {
    await ran("ours", 1, 3600, january);
    const now = at(january, 7200);
    expect(await getInvoice(db, { organizationId: carmin, month: "2026-01", now })).toMatchObject({ inProgress: true, lines: [], totalCents: 0 });
    await expect(getInvoice(db, { organizationId: carmin, month: "2025-12", now })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getInvoice(db, { organizationId: carmin, month: "2026-01", now: february })).rejects.toBeInstanceOf(NotFoundError);
    expect(await listInvoiceMonths(db, { organizationId: carmin, now })).toEqual([
      { month: "2026-01", totalCents: 0, paidFromCreditsCents: 0, dueCents: 0, tasks: 0, inProgress: true },
    ]);
    const text = await textOf(await renderInvoicePdf(await getInvoice(db, { organizationId: carmin, month: "2026-01", now }), { issuedAt: now }));
    expect(text).toContain("Charges so far · January 2026");
    expect(text).toContain("No charges yet.");
    expect(text).not.toContain("ours");
  });
});
