import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatDateTime, formatInteger, formatKWhFromWh } from "@/components/format";
import { serverApi } from "@/server/api/request-context";
import { formatEuros, formatStatementMonth } from "@/server/domain/refund-statements";

export const metadata: Metadata = { title: "Refunds" };

/** The twelve months before this one, newest first, as "YYYY-MM-01". */
function recentMonths(now: Date): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
    return d.toISOString().slice(0, 10);
  });
}

export default async function RefundsPage() {
  const api = await serverApi("staff", "/admin/refunds");
  const closed = new Map((await api.refunds.months()).map((m) => [m.month, m]));
  const months = [...new Set([...recentMonths(new Date()), ...closed.keys()])].sort().reverse();
  return (
    <>
      <PageTitle
        title="Electricity refunds"
        subtitle="Each month's close turns the meters of enrolled dwellings into statements. The engine closes the month before on the 3rd; open a month to preview it, close it again or record payments."
      />
      <Card>
        <CardHeader title="Months" />
        <Table caption="Refund months" scrollable>
          <THead>
            <tr>
              <Th>Month</Th>
              <Th>Status</Th>
              <Th numeric>Statements</Th>
              <Th numeric>Energy</Th>
              <Th numeric>Amount</Th>
              <Th numeric>Paid</Th>
            </tr>
          </THead>
          <TBody>
            {months.map((month) => {
              const m = closed.get(month);
              const label = formatStatementMonth(month.slice(0, 7), "en-GB");
              return (
                <Tr key={month}>
                  <Td>
                    <Link href={`/admin/refunds/${month.slice(0, 7)}`} className="text-brand-700 underline">
                      {label}
                    </Link>
                  </Td>
                  <Td>{m ? <Badge tone="success">{m.closedAt ? `closed ${formatDateTime(m.closedAt)}` : "closing"}</Badge> : <Badge>not closed</Badge>}</Td>
                  <Td numeric>{m ? formatInteger(m.statements) : "—"}</Td>
                  <Td numeric>{m ? formatKWhFromWh(m.energyWh) : "—"}</Td>
                  <Td numeric>{m ? formatEuros(m.amountCents, "en-GB") : "—"}</Td>
                  <Td numeric>{m ? `${formatInteger(m.paidStatements)} · ${formatEuros(m.paidAmountCents, "en-GB")}` : "—"}</Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
