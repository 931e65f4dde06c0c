import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MarkPaidForm } from "@/components/admin/mark-paid-form";
import { RunCloseForm } from "@/components/admin/run-close-form";
import { PageTitle } from "@/components/layout/app-shell";
import { Card, CardContent, CardHeader, Stat } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatInteger, formatKWhFromWh } from "@/components/format";
import { serverApi } from "@/server/api/request-context";
import { formatEuros, formatStatementMonth, isStatementMonth, ledgerMonthOf } from "@/server/domain/refund-statements";

export const metadata: Metadata = { title: "Refund month" };

const ANOMALIES: Record<string, string> = {
  silent: "radiator silent",
  "no-tariff": "no tariff",
  "meter-reset": "meter restarted",
  "no-readings": "no readings",
};

export default async function RefundMonthPage({ params }: { params: Promise<{ month: string }> }) {
  const { month: typed } = await params;
  // Only a whole past month can be previewed or closed; anything else is no page.
  if (!isStatementMonth(typed)) notFound();
  const month = ledgerMonthOf(typed);
  const thisMonth = new Date().toISOString().slice(0, 7);
  if (typed >= thisMonth) notFound();
  const api = await serverApi("staff", `/admin/refunds/${typed}`);
  const [preview, statements] = await Promise.all([api.refunds.preview({ month }), api.refunds.statements({ month })]);
  const label = formatStatementMonth(typed, "en-GB");
  // Every enrolled dwelling already has its statement: a close now would write nothing new.
  const closedAll = preview.dwellings === 0 && preview.alreadyClosed > 0;
  return (
    <>
      <PageTitle title={`Refunds for ${label}`} back={{ href: "/admin/refunds", label: "Refund months" }} />
      <Card className="mb-6">
        <CardHeader
          title="Preview"
          description={`What a close would write now: ${countOf(preview.dwellings, "enrolled dwelling")} not closed yet, from their meters; ${formatInteger(preview.alreadyClosed)} already closed, kept as they were written.`}
        />
        <CardContent className="flex flex-col gap-4">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
            <Stat label="Dwellings to close" value={formatInteger(preview.dwellings)} />
            <Stat label="Radiators" value={formatInteger(preview.radiators)} />
            <Stat label="Energy" value={formatKWhFromWh(preview.energyWh)} />
            <Stat label="Amount" value={formatEuros(preview.amountCents, "en-GB")} />
            <Stat label="Already closed" value={formatInteger(preview.alreadyClosed)} />
          </dl>
          {preview.anomalies.length > 0 ? (
            <Table caption="Anomalies to look at before closing" scrollable>
              <THead>
                <tr>
                  <Th>Anomaly</Th>
                  <Th>Dwelling</Th>
                  <Th>Device</Th>
                  <Th>Detail</Th>
                </tr>
              </THead>
              <TBody>
                {preview.anomalies.map((a, i) => (
                  <Tr key={`${a.kind}-${a.dwellingId}-${a.serial ?? ""}-${i}`}>
                    <Td>{ANOMALIES[a.kind] ?? a.kind}</Td>
                    <Td>{a.dwellingLabel}</Td>
                    <Td className="font-mono">{a.serial ?? "—"}</Td>
                    <Td>{a.detail}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : (
            <p className="text-sm text-stone-700">No anomaly: every enrolled dwelling has readings and a tariff.</p>
          )}
          <RunCloseForm month={month} label={closedAll ? "Close again" : "Close the month"} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="Statements" description={statements.length === 0 ? "None yet: close the month to write them." : countOf(statements.length, "statement")} />
        {statements.length > 0 && (
          <CardContent>
            <MarkPaidForm month={month} statements={statements} today={new Date().toISOString().slice(0, 10)} />
          </CardContent>
        )}
      </Card>
    </>
  );
}
