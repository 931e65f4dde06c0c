import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/layout/app-shell";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCoreSeconds } from "@/components/compute/format";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { formatEuros } from "@/server/domain/billing";
import { AMOUNT_DUE, formatInvoiceMonth, PAID_FROM_CREDITS } from "@/server/domain/invoices";

export async function generateMetadata({ params }: { params: Promise<{ month: string }> }): Promise<Metadata> {
  const { month } = await params;
  return { title: /^\d{4}-\d{2}$/.test(month) ? `Invoice, ${formatInvoiceMonth(month)}` : "Invoice" };
}

export default async function InvoicePage({ params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const api = await serverApi("customer", `/compute/account/billing/${month}`);
  const invoice = await orNotFound(api.billing.invoice({ month }));
  const label = formatInvoiceMonth(invoice.month);
  return (
    <>
      <PageTitle
        back={{ href: "/compute/account/billing", label: "Billing" }}
        title={invoice.inProgress ? `${label}, so far` : `Invoice, ${label}`}
        subtitle={`${invoice.organizationName} · total ${formatEuros(invoice.totalCents)} · ${invoice.inProgress ? "due so far" : "due"} ${formatEuros(invoice.dueCents)}`}
      />
      <p className="mb-4 text-sm">
        <a href={`/compute/account/billing/${invoice.month}/invoice.csv`} className="font-medium text-brand-700 underline">
          Download CSV
        </a>
        {" · "}
        <a href={`/compute/account/billing/${invoice.month}/invoice.pdf`} className="font-medium text-brand-700 underline">
          Download PDF
        </a>
      </p>
      <Card>
        <CardHeader
          title="Lines"
          description="A line per task and rate. Each attempt is billed by the started core-minute, rounded once to the cent, and paid from your prepaid credits as far as they go; the rest is due."
        />
        <Table caption={`Invoice lines, ${label}`} scrollable>
          <THead>
            <tr>
              <Th>Task</Th>
              <Th>Scheduling</Th>
              <Th numeric>Rate per core-hour</Th>
              <Th numeric>CPU time</Th>
              <Th numeric>Billed core-minutes</Th>
              <Th numeric>Amount</Th>
            </tr>
          </THead>
          <TBody>
            {invoice.lines.map((l) => (
              <Tr key={`${l.taskId ?? `deleted:${l.taskName}`}:${l.schedulingType}:${l.rateCentsPerCoreHour}`}>
                <Td>
                  {l.taskId ? (
                    <Link href={`/compute/tasks/${l.taskId}`} className="text-brand-700 underline">
                      {l.taskName}
                    </Link>
                  ) : (
                    <>
                      {l.taskName} <span className="text-stone-600">(deleted task)</span>
                    </>
                  )}
                </Td>
                <Td>{l.schedulingType}</Td>
                <Td numeric>{formatEuros(l.rateCentsPerCoreHour)}</Td>
                <Td numeric>{formatCoreSeconds(l.coreSeconds)}</Td>
                <Td numeric>{l.billedMinutes.toLocaleString("en-GB")}</Td>
                <Td numeric>{formatEuros(l.amountCents)}</Td>
              </Tr>
            ))}
            {invoice.lines.length === 0 && (
              <tr>
                <Td colSpan={6} className="py-6 text-center text-stone-600">
                  Nothing charged yet this month.
                </Td>
              </tr>
            )}
            <tr className="font-semibold">
              <Td colSpan={5}>Total</Td>
              <Td numeric>{formatEuros(invoice.totalCents)}</Td>
            </tr>
            <tr>
              <Td colSpan={5}>{PAID_FROM_CREDITS}</Td>
              <Td numeric>{formatEuros(-invoice.paidFromCreditsCents)}</Td>
            </tr>
            <tr className="font-semibold">
              <Td colSpan={5}>{AMOUNT_DUE}</Td>
              <Td numeric>{formatEuros(invoice.dueCents)}</Td>
            </tr>
          </TBody>
        </Table>
      </Card>
    </>
  );
}
