/**
 * Invoices: a month's charges of an organization, one line per task (and price: a task whose
 * attempts ended on both sides of a rate change has a line per rate). Pure: the service reads the
 * charges ledger grouped this way; here the lines are ordered, the total is their sum, and the
 * CSV's rows are written. Of the total, what the prepaid credits paid (the draws of the month's
 * charges) is taken off: the rest is the amount due.
 */

import { centsToEuros, formatBillingMonth, formatEuros } from "./billing";
import type { SchedulingType } from "./task-state";

export type InvoiceLine = {
  /** Null once the task was deleted: its charges stay, named by the task's name. */
  taskId: string | null;
  taskName: string;
  jobId: string | null;
  schedulingType: SchedulingType;
  rateCentsPerCoreHour: number;
  attempts: number;
  coreSeconds: number;
  billedMinutes: number;
  amountCents: number;
};

export type Invoice = {
  /** "YYYY-MM", the operator's calendar month. */
  month: string;
  organizationName: string;
  /** Who invoices: the operator. */
  operatorName: string;
  /** The month is not over yet: its invoice is what was charged so far. */
  inProgress: boolean;
  lines: InvoiceLine[];
  totalCents: number;
  /** What the prepaid credits paid of the total: the draws of the month's charges (≥ 0). */
  paidFromCreditsCents: number;
  /** What is left to pay: the total less what the credits paid. */
  dueCents: number;
  coreSeconds: number;
  billedMinutes: number;
};

/** A line's task as an invoice names it: a deleted task says so. */
export const lineTaskLabel = (line: Pick<InvoiceLine, "taskId" | "taskName">) => (line.taskId === null ? `${line.taskName} (deleted task)` : line.taskName);

/**
 * The invoice of a month from its lines and what the credits paid of them: largest amounts first,
 * then by name; the total is the sum of the lines, the amount due the total less what was paid.
 */
export function assembleInvoice(opts: {
  month: string;
  organizationName: string;
  operatorName: string;
  inProgress: boolean;
  lines: InvoiceLine[];
  paidFromCreditsCents: number;
}): Invoice {
  const lines = [...opts.lines].sort(
    (a, b) => b.amountCents - a.amountCents || a.taskName.localeCompare(b.taskName) || (a.taskId ?? "").localeCompare(b.taskId ?? "") || a.rateCentsPerCoreHour - b.rateCentsPerCoreHour,
  );
  const totalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  if (!Number.isSafeInteger(opts.paidFromCreditsCents) || opts.paidFromCreditsCents < 0 || opts.paidFromCreditsCents > totalCents) {
    throw new RangeError(`Credits cannot pay ${opts.paidFromCreditsCents} cents of a total of ${totalCents}.`);
  }
  return {
    month: opts.month,
    organizationName: opts.organizationName,
    operatorName: opts.operatorName,
    inProgress: opts.inProgress,
    lines,
    totalCents,
    paidFromCreditsCents: opts.paidFromCreditsCents,
    dueCents: totalCents - opts.paidFromCreditsCents,
    coreSeconds: lines.reduce((sum, l) => sum + l.coreSeconds, 0),
    billedMinutes: lines.reduce((sum, l) => sum + l.billedMinutes, 0),
  };
}

/** The rows after an invoice's total, as the page, the CSV and the PDF name them. */
export const PAID_FROM_CREDITS = "Paid from prepaid credits";
export const AMOUNT_DUE = "Amount due";

export const INVOICE_CSV_HEADER = [
  "month",
  "task",
  "task_id",
  "job_id",
  "scheduling_type",
  "rate_cents_per_core_hour",
  "attempts",
  "core_seconds",
  "billed_core_minutes",
  "amount_cents",
  "amount_eur",
] as const;

/**
 * The invoice as CSV rows: the header first, a row per line, the total, then what the prepaid
 * credits paid (negative: taken off) and the amount due. Cents and euros both, so that a
 * spreadsheet sums either: the lines sum to the total, and the total plus the credits row is the
 * amount due.
 */
export function invoiceCsvRows(invoice: Invoice): Array<Array<string | number>> {
  const summary = (label: string, cents: number) => [invoice.month, label, "", "", "", "", "", "", "", cents, centsToEuros(cents).toFixed(2)];
  return [
    [...INVOICE_CSV_HEADER],
    ...invoice.lines.map((l) => [
      invoice.month,
      lineTaskLabel(l),
      l.taskId ?? "",
      l.jobId ?? "",
      l.schedulingType,
      l.rateCentsPerCoreHour,
      l.attempts,
      l.coreSeconds,
      l.billedMinutes,
      l.amountCents,
      centsToEuros(l.amountCents).toFixed(2),
    ]),
    [invoice.month, "Total", "", "", "", "", invoice.lines.reduce((n, l) => n + l.attempts, 0), invoice.coreSeconds, invoice.billedMinutes, invoice.totalCents, centsToEuros(invoice.totalCents).toFixed(2)],
    summary(PAID_FROM_CREDITS, -invoice.paidFromCreditsCents || 0), // never -0
    summary(AMOUNT_DUE, invoice.dueCents),
  ];
}

/** "January 2026" for "2026-01". */
export const formatInvoiceMonth = formatBillingMonth;

export const invoiceFileName = (month: string, extension: "csv" | "pdf") => `hearth-invoice-${month}.${extension}`;

export { formatEuros };
