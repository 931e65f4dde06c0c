/**
 * Invoices: a month's charges of an organization, one line per task (and price: a task whose
 * attempts ended on both sides of a rate change has a line per rate). Pure: the service reads the
 * charges ledger grouped this way; here the lines are ordered, the total is their sum, and the
 * CSV's rows are written.
 */

import { centsToEuros, formatEuros } from "./billing";
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
  coreSeconds: number;
  billedMinutes: number;
};

/** A line's task as an invoice names it: a deleted task says so. */
export const lineTaskLabel = (line: Pick<InvoiceLine, "taskId" | "taskName">) => (line.taskId === null ? `${line.taskName} (deleted task)` : line.taskName);

/** The invoice of a month from its lines: largest amounts first, then by name; the total is the sum of the lines. */
export function assembleInvoice(opts: { month: string; organizationName: string; operatorName: string; inProgress: boolean; lines: InvoiceLine[] }): Invoice {
  const lines = [...opts.lines].sort(
    (a, b) => b.amountCents - a.amountCents || a.taskName.localeCompare(b.taskName) || (a.taskId ?? "").localeCompare(b.taskId ?? "") || a.rateCentsPerCoreHour - b.rateCentsPerCoreHour,
  );
  return {
    month: opts.month,
    organizationName: opts.organizationName,
    operatorName: opts.operatorName,
    inProgress: opts.inProgress,
    lines,
    totalCents: lines.reduce((sum, l) => sum + l.amountCents, 0),
    coreSeconds: lines.reduce((sum, l) => sum + l.coreSeconds, 0),
    billedMinutes: lines.reduce((sum, l) => sum + l.billedMinutes, 0),
  };
}

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

/** The invoice as CSV rows (header first, a total row last): cents and euros both, so that a spreadsheet sums either. */
export function invoiceCsvRows(invoice: Invoice): Array<Array<string | number>> {
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
  ];
}

/** "January 2026" for "2026-01". */
export function formatInvoiceMonth(month: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}

export const invoiceFileName = (month: string, extension: "csv" | "pdf") => `hearth-invoice-${month}.${extension}`;

export { formatEuros };
