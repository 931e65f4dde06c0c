import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverApi } from "@/server/api/request-context";
import { formatEuros } from "@/server/domain/billing";
import { formatInvoiceMonth } from "@/server/domain/invoices";
import { SCHEDULING_TYPES } from "@/server/domain/task-state";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const api = await serverApi("customer", "/compute/account/billing");
  const [overview, months] = await Promise.all([api.billing.overview(), api.billing.invoices()]);
  const { budget } = overview;
  return (
    <>
      <PageTitle title="Billing" subtitle="Work is billed per core, by the started minute, at your scheduling type's rate; invoices are by calendar month." />
      <div className="mb-6 grid grid-cols-1 gap-6 md:grid-cols-3">
        <Card>
          <CardHeader title="This month so far" />
          <CardContent>
            <p className="text-2xl font-semibold tabular-nums">{formatEuros(overview.monthChargedCents)}</p>
            {budget ? (
              <p className="text-sm text-stone-600">
                of a monthly budget of {formatEuros(budget.monthlyBudgetCents)}:{" "}
                {budget.policy === "block" ? "tasks that would overrun it are refused" : "tasks that would overrun it are accepted, with a warning"}.
              </p>
            ) : (
              <p className="text-sm text-stone-600">No monthly budget set.</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Prepaid credits" />
          <CardContent>
            <p className="text-2xl font-semibold tabular-nums">{formatEuros(overview.creditBalanceCents)}</p>
            <p className="text-sm text-stone-600">Each charge is paid from them as far as they go; what they do not cover is due on the month&apos;s invoice.</p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Rates today" />
          <CardContent>
            <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
              {SCHEDULING_TYPES.map((type) => (
                <div key={type} className="contents">
                  <dt className="text-stone-600">{type}</dt>
                  <dd className="tabular-nums">{overview.rates[type] === undefined ? "not offered" : `${formatEuros(overview.rates[type])} per core-hour`}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader title="Invoices" description="A line per task; a deleted task's charges stay on its month's invoice." />
        <Table caption="Invoices by month" scrollable>
          <THead>
            <tr>
              <Th>Month</Th>
              <Th numeric>Tasks</Th>
              <Th numeric>Total</Th>
              <Th numeric>Paid from credits</Th>
              <Th numeric>Due</Th>
              <Th>Downloads</Th>
            </tr>
          </THead>
          <TBody>
            {months.map((m) => {
              const label = formatInvoiceMonth(m.month);
              return (
                <Tr key={m.month}>
                  <Td>
                    <Link href={`/compute/account/billing/${m.month}`} className="font-medium text-brand-700 underline">
                      {label}
                    </Link>{" "}
                    {m.inProgress && <Badge tone="neutral">so far</Badge>}
                  </Td>
                  <Td numeric>{m.tasks}</Td>
                  <Td numeric>{formatEuros(m.totalCents)}</Td>
                  <Td numeric>{formatEuros(m.paidFromCreditsCents)}</Td>
                  <Td numeric>{formatEuros(m.dueCents)}</Td>
                  <Td className="whitespace-nowrap">
                    <a href={`/compute/account/billing/${m.month}/invoice.csv`} className="text-brand-700 underline" aria-label={`CSV of ${label}`}>
                      CSV
                    </a>
                    {" · "}
                    <a href={`/compute/account/billing/${m.month}/invoice.pdf`} className="text-brand-700 underline" aria-label={`PDF of ${label}`}>
                      PDF
                    </a>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
