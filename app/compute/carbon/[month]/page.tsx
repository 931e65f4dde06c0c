import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CarbonLabel } from "@/components/compute/carbon-label";
import { formatGrams, formatWh } from "@/components/compute/carbon-figures";
import { PageTitle } from "@/components/layout/app-shell";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { knownDatacenter } from "@/server/domain/carbon";
import { CARBON_MONTH_RE, formatCarbonMonth } from "@/server/domain/carbon-report";

type Props = { params: Promise<{ month: string }>; searchParams: Promise<{ page?: string; dc?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { month } = await params;
  return { title: CARBON_MONTH_RE.test(month) ? `Carbon report, ${formatCarbonMonth(month)}` : "Carbon report" };
}

/** One month of the carbon report: its Carbon Facts label, its tasks' lines, its CSV and PDF. */
export default async function CarbonMonthPage({ params, searchParams }: Props) {
  const { month } = await params;
  const query = await searchParams;
  if (!CARBON_MONTH_RE.test(month)) notFound();
  const page = Math.max(1, Math.min(100_000, Number.parseInt(query.page ?? "", 10) || 1));
  const datacenter = knownDatacenter(query.dc);
  const api = await serverApi("customer", `/compute/carbon/${month}`);
  const report = await orNotFound(api.carbon.month({ month, page, datacenter }));
  const name = formatCarbonMonth(month);
  const pageHref = (p: number) => `/compute/carbon/${month}?${new URLSearchParams({ page: String(p), ...(datacenter && { dc: datacenter }) })}#tasks`;
  return (
    <>
      <PageTitle
        title={`Carbon report, ${name}`}
        back={{ href: "/compute/carbon", label: "Carbon report" }}
        subtitle={`${report.organizationName}: the work metered in ${name}, Paris time (${report.timeZone}), deleted tasks included.`}
      />
      <div className="flex flex-wrap gap-2">
        <a href={`/compute/carbon/${month}/report.pdf`} className={buttonClasses("primary", "sm")} download>
          Download PDF
        </a>
        <a href={`/compute/carbon/${month}/tasks.csv`} className={buttonClasses("secondary", "sm")} download>
          Download CSV of tasks
        </a>
      </div>

      <CarbonLabel label={report} formAction={`/compute/carbon/${month}`} />

      <Card className="mt-6 scroll-mt-4" id="tasks">
        <CardHeader
          title={`Tasks (${report.taskCount})`}
          description="Each task's share of the month, rounded as on its label; the month's totals are computed once from all of it."
        />
        {report.taskCount === 0 ? (
          <p className="p-4 text-sm text-stone-700">No work was metered this month.</p>
        ) : (
          <>
            <Table caption={`Carbon Facts of ${name} by task`} scrollable>
              <THead>
                <Tr>
                  <Th>Task</Th>
                  <Th numeric>Energy consumed</Th>
                  <Th numeric>Footprint (CO2e)</Th>
                  <Th numeric>Avoided (CO2e)</Th>
                </Tr>
              </THead>
              <TBody>
                {report.tasks.map((t) => (
                  <Tr key={t.taskId ?? "deleted"}>
                    <Td className="max-w-64 break-words">
                      {t.taskId === null ? (
                        <span className="italic text-stone-700">{t.name}</span>
                      ) : (
                        <Link href={`/compute/tasks/${t.taskId}#carbon`} className="font-medium text-brand-800 underline">
                          {t.name}
                        </Link>
                      )}
                    </Td>
                    <Td numeric className="whitespace-nowrap">{formatWh(t.figures.consumedEnergyWh)}</Td>
                    <Td numeric className="whitespace-nowrap">{formatGrams(t.figures.footprintG)}</Td>
                    <Td numeric className="whitespace-nowrap">{formatGrams(t.figures.savedTotalG)}</Td>
                  </Tr>
                ))}
                <Tr className="font-semibold">
                  <Td>{name}</Td>
                  <Td numeric className="whitespace-nowrap">{formatWh(report.figures.consumedEnergyWh)}</Td>
                  <Td numeric className="whitespace-nowrap">{formatGrams(report.figures.footprintG)}</Td>
                  <Td numeric className="whitespace-nowrap">{formatGrams(report.figures.savedTotalG)}</Td>
                </Tr>
              </TBody>
            </Table>
            {report.pages > 1 && <Pager label="Pages of tasks" page={report.page} pages={report.pages} href={pageHref} scroll={false} />}
          </>
        )}
      </Card>
    </>
  );
}
