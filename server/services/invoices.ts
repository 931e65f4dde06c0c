import { stringify } from "csv-stringify/sync";
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { BILLING_TIME_ZONE, billingMonthOf, isBillingMonth } from "@/server/domain/billing";
import { assembleInvoice, invoiceCsvRows, type Invoice } from "@/server/domain/invoices";
import type { SchedulingType } from "@/server/domain/task-state";
import { billingMonthBounds } from "./billing";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * Invoices by month, read from the charges ledger (server/domain/invoices.ts for the lines and the
 * total) and, for what the prepaid credits paid, from the draws of the month's charges. Bounded by
 * the caller's organization: another's months are simply not there.
 */

export type InvoiceMonth = { month: string; totalCents: number; paidFromCreditsCents: number; dueCents: number; tasks: number; inProgress: boolean };

/** The months the organization was charged in, newest first, with the current month (so far) always first. */
export async function listInvoiceMonths(db: Tx, opts: { organizationId: string; now: Date }): Promise<InvoiceMonth[]> {
  const rows = await db.execute<{ month: string; total_cents: string; paid_cents: string; tasks: number }>(sql`
    select to_char(c.charged_at at time zone ${BILLING_TIME_ZONE}, 'YYYY-MM') as month, sum(c.amount_cents)::bigint as total_cents,
      (-coalesce(sum(e.amount_cents), 0))::bigint as paid_cents,
      count(distinct coalesce(c.task_id::text, 'deleted:' || c.task_name))::int as tasks
    from task_charges c left join credit_entries e on e.charge_id = c.id
    where c.organization_id = ${opts.organizationId} and c.charged_at <= ${opts.now.toISOString()}
    group by 1 order by 1 desc`);
  const current = billingMonthOf(opts.now);
  const months = rows.map((r) => {
    const totalCents = Number(r.total_cents);
    const paidFromCreditsCents = Number(r.paid_cents);
    return { month: r.month, totalCents, paidFromCreditsCents, dueCents: totalCents - paidFromCreditsCents, tasks: r.tasks, inProgress: r.month === current };
  });
  if (!months.some((m) => m.month === current)) months.unshift({ month: current, totalCents: 0, paidFromCreditsCents: 0, dueCents: 0, tasks: 0, inProgress: true });
  return months;
}

/**
 * A month's invoice: one line per task and price. NotFoundError for a month without charges, unless
 * it is the current one (so far, possibly empty); InvalidInputError for a month that is not one.
 */
export async function getInvoice(db: Tx, opts: { organizationId: string; month: string; now: Date }): Promise<Invoice> {
  if (!isBillingMonth(opts.month)) throw new InvalidInputError("A month is written YYYY-MM.", "month");
  const { from, to } = billingMonthBounds(opts.month);
  const [org] = await db.execute<{ name: string; operator_name: string | null; paid_cents: string }>(sql`
    select name, (select o.name from organizations o where o.kind = 'operator' order by o.created_at limit 1) as operator_name,
      (select -coalesce(sum(e.amount_cents), 0) from task_charges c join credit_entries e on e.charge_id = c.id
        where c.organization_id = ${opts.organizationId} and c.charged_at >= ${from} and c.charged_at < ${to}
          and c.charged_at <= ${opts.now.toISOString()})::bigint as paid_cents
    from organizations where id = ${opts.organizationId}`);
  if (!org) throw new NotFoundError("Invoice");
  const rows = await db.execute<{
    task_id: string | null;
    task_name: string;
    job_id: string | null;
    scheduling_type: SchedulingType;
    rate_cents_per_core_hour: number;
    attempts: number;
    core_seconds: string;
    billed_minutes: string;
    amount_cents: string;
  }>(sql`
    select task_id, task_name, max(job_id::text) as job_id, scheduling_type, rate_cents_per_core_hour, count(*)::int as attempts,
      sum(core_seconds)::bigint as core_seconds, sum(billed_minutes)::bigint as billed_minutes, sum(amount_cents)::bigint as amount_cents
    from task_charges
    where organization_id = ${opts.organizationId} and charged_at >= ${from} and charged_at < ${to} and charged_at <= ${opts.now.toISOString()}
    group by task_id, task_name, scheduling_type, rate_cents_per_core_hour`);
  const inProgress = billingMonthOf(opts.now) === opts.month;
  if (rows.length === 0 && !inProgress) throw new NotFoundError("Invoice", `No invoice for ${opts.month}: nothing was charged that month.`);
  return assembleInvoice({
    month: opts.month,
    organizationName: org.name,
    operatorName: org.operator_name ?? "Hearth",
    inProgress,
    paidFromCreditsCents: Number(org.paid_cents),
    lines: rows.map((r) => ({
      taskId: r.task_id,
      taskName: r.task_name,
      jobId: r.job_id,
      schedulingType: r.scheduling_type,
      rateCentsPerCoreHour: r.rate_cents_per_core_hour,
      attempts: r.attempts,
      coreSeconds: Number(r.core_seconds),
      billedMinutes: Number(r.billed_minutes),
      amountCents: Number(r.amount_cents),
    })),
  });
}

/** The invoice as CSV (RFC 4180, a header row, then the total, what the prepaid credits paid and the amount due). */
export function invoiceCsv(invoice: Invoice): string {
  return stringify(invoiceCsvRows(invoice), { record_delimiter: "\r\n" });
}
