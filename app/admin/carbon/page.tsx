import type { Metadata } from "next";
import { AddGridVersionForm } from "@/components/admin/add-grid-version-form";
import { GridImportForm } from "@/components/admin/grid-import-form";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Pager } from "@/components/ui/pager";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatCalendarDay, formatDateTime } from "@/components/format";
import { serverApi } from "@/server/api/request-context";
import { formatMgAsGrams } from "@/server/domain/grid-intensity-csv";

export const metadata: Metadata = { title: "Grid carbon intensity" };

const PAGE_SIZE = 50;

export default async function CarbonPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const params = await searchParams;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.page ?? "1", 10) || 1));
  const api = await serverApi("staff", "/admin/carbon");
  const [versions, imports] = await Promise.all([api.gridIntensity.versions(), api.gridIntensity.imports({ page, pageSize: PAGE_SIZE })]);
  const pages = Math.max(1, Math.ceil(imports.total / PAGE_SIZE));
  return (
    <>
      <PageTitle
        title="Grid carbon intensity"
        subtitle="Carbon labels use a country's hourly series for the hours it covers, and its annual figure in force for the others, saying which. Figures are never changed: a correction is a new version or a new load."
      />
      <Card className="mb-6">
        <CardHeader
          title="Load an hourly series"
          description="Values within each UTC hour are averaged into that hour; an hour loaded again takes the new value. A file with any bad line is refused whole, and nothing of it is loaded."
        />
        <CardContent>
          <GridImportForm />
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader title="Add an annual figure" description="It applies from its date to the hours no hourly series covers, in its country, until a later figure." />
        <CardContent>
          <AddGridVersionForm />
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader title="Annual figures" description={countOf(versions.length, "version")} />
        <Table caption="Annual grid intensities" scrollable>
          <THead>
            <tr>
              <Th>Country</Th>
              <Th>Effective from</Th>
              <Th numeric>g CO2e per kWh</Th>
              <Th>Source</Th>
              <Th>Added</Th>
              <Th>Status</Th>
            </tr>
          </THead>
          <TBody>
            {versions.map((v) => (
              <Tr key={v.id}>
                <Td>{v.country}</Td>
                <Td className="whitespace-nowrap">{formatCalendarDay(v.effectiveFrom)}</Td>
                <Td numeric>{formatMgAsGrams(v.intensityMgPerKWh)}</Td>
                <Td>{v.source}</Td>
                <Td>
                  {v.createdBy ?? "reference data"}
                  <span className="block whitespace-nowrap text-stone-600">{formatDateTime(v.createdAt)}</span>
                </Td>
                <Td>{v.inForce ? <Badge tone="success">in force</Badge> : <Badge tone="neutral">{v.effectiveFrom > todayUtc() ? "from its date" : "superseded"}</Badge>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
      <Card>
        <CardHeader title="Hourly series loaded" description={countOf(imports.total, "load")} />
        <Table caption="Hourly series loaded" scrollable>
          <THead>
            <tr>
              <Th>Loaded</Th>
              <Th>Country</Th>
              <Th>Source and file</Th>
              <Th numeric>Hours</Th>
              <Th>First hour</Th>
              <Th>Last hour</Th>
            </tr>
          </THead>
          <TBody>
            {imports.rows.map((i) => (
              <Tr key={i.id}>
                <Td>
                  <span className="whitespace-nowrap">{formatDateTime(i.createdAt)}</span>
                  <span className="block text-stone-600">{i.createdBy ?? "a removed account"}</span>
                </Td>
                <Td>{i.country}</Td>
                <Td>
                  {i.source}
                  <span className="block break-all font-mono text-stone-600">{i.fileName}</span>
                </Td>
                <Td numeric>
                  {i.hours.toLocaleString("en-GB")}
                  {i.hoursInUse < i.hours && <span className="block text-stone-600">{i.hoursInUse.toLocaleString("en-GB")} still in use</span>}
                </Td>
                <Td className="whitespace-nowrap">{formatDateTime(i.firstHourStart)}</Td>
                <Td className="whitespace-nowrap">{formatDateTime(i.lastHourStart)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        {pages > 1 && <Pager label="Pages of loads" page={page} pages={pages} href={(p) => `/admin/carbon?page=${p}`} />}
      </Card>
    </>
  );
}

function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}
