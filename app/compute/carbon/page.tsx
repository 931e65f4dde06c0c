import type { Metadata } from "next";
import Link from "next/link";
import { CarbonMonthsChart, type CarbonMonthBar } from "@/components/compute/carbon-months-chart";
import { formatGrams, formatWh } from "@/components/compute/carbon-figures";
import { PageTitle } from "@/components/layout/app-shell";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverApi } from "@/server/api/request-context";
import { formatCarbonMonth } from "@/server/domain/carbon-report";

export const metadata: Metadata = { title: "Carbon report" };

const shortMonthYear = (month: string) =>
  new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
const shortMonth = (month: string) =>
  new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));

/** The customer's last twelve months: footprint beside avoided emissions, a chart and a table, with downloads. */
export default async function CarbonReportPage() {
  const api = await serverApi("customer", "/compute/carbon");
  const report = await api.carbon.months();
  const bars: CarbonMonthBar[] = report.months.map((m) => ({
    month: formatCarbonMonth(m.month),
    label: shortMonth(m.month),
    footprintG: m.figures.footprintG,
    avoidedG: m.figures.savedTotalG,
  }));
  const first = formatCarbonMonth(report.months[0]!.month);
  const last = formatCarbonMonth(report.months[report.months.length - 1]!.month);
  const withWork = report.months.filter((m) => m.figures.consumedEnergyWh > 0).length;
  const title = `Carbon footprint and avoided emissions by month, ${first} to ${last}, in grams of CO2e`;
  return (
    <>
      <PageTitle
        title="Carbon report"
        subtitle={
          <>
            Your work&apos;s Carbon Facts by month, computed like each task&apos;s label by methodology{" "}
            <span className="font-mono">{report.methodologyVersion}</span>. Months are calendar months in Paris time ({report.timeZone}), as on
            invoices; deleted tasks&apos; energy stays in its month.{" "}
            <Link href={`/compute/carbon/methodology#${report.methodologyVersion}`} className="font-medium text-brand-800 underline">
              How these figures are computed
            </Link>
          </>
        }
      />

      <Card>
        <CardHeader title="Footprint and avoided emissions" description="Avoided emissions are reported beside the footprint, never subtracted from it." />
        <figure className="flex flex-col gap-3 p-4">
          <CarbonMonthsChart bars={bars} title={title} />
          <figcaption className="text-sm text-stone-700" data-testid="carbon-chart-summary">
            {title}. Over these twelve months: footprint {formatGrams(report.total.footprintG)}CO2e, avoided {formatGrams(report.total.savedTotalG)}
            CO2e, energy consumed {formatWh(report.total.consumedEnergyWh)}; {withWork === 0 ? "no month had metered work" : `${withWork} of 12 months had metered work`}.
            Each month&apos;s figures are in the table below.
          </figcaption>
        </figure>
      </Card>

      <Card className="mt-6">
        <CardHeader
          title="Months"
          description="Each month's figures as its label rounds them; open a month for its tasks and its PDF."
          actions={
            <a href="/compute/carbon/months.csv" className={buttonClasses("secondary", "sm")} download>
              Download CSV
            </a>
          }
        />
        <Table caption="Carbon Facts by month" scrollable>
          <THead>
            <Tr>
              <Th>Month</Th>
              <Th numeric>Energy consumed</Th>
              <Th numeric>Footprint (CO2e)</Th>
              <Th numeric>Avoided (CO2e)</Th>
              <Th numeric className="hidden sm:table-cell">Reused heat</Th>
            </Tr>
          </THead>
          <TBody>
            {[...report.months].reverse().map((m) => (
              <Tr key={m.month}>
                <Td className="whitespace-nowrap">
                  <Link href={`/compute/carbon/${m.month}`} className="font-medium text-brand-800 underline">
                    {/* A phone's narrow table: the month's short name. */}
                    <span className="hidden sm:inline">{formatCarbonMonth(m.month)}</span>
                    <span className="sm:hidden">{shortMonthYear(m.month)}</span>
                  </Link>
                </Td>
                <Td numeric className="whitespace-nowrap">{formatWh(m.figures.consumedEnergyWh)}</Td>
                <Td numeric className="whitespace-nowrap">{formatGrams(m.figures.footprintG)}</Td>
                <Td numeric className="whitespace-nowrap">{formatGrams(m.figures.savedTotalG)}</Td>
                <Td numeric className="hidden whitespace-nowrap sm:table-cell">{formatWh(m.figures.reusedEnergyWh)}</Td>
              </Tr>
            ))}
            <Tr className="font-semibold">
              <Td>12 months</Td>
              <Td numeric className="whitespace-nowrap">{formatWh(report.total.consumedEnergyWh)}</Td>
              <Td numeric className="whitespace-nowrap">{formatGrams(report.total.footprintG)}</Td>
              <Td numeric className="whitespace-nowrap">{formatGrams(report.total.savedTotalG)}</Td>
              <Td numeric className="hidden whitespace-nowrap sm:table-cell">{formatWh(report.total.reusedEnergyWh)}</Td>
            </Tr>
          </TBody>
        </Table>
      </Card>
    </>
  );
}
