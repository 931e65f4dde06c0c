import type { Metadata } from "next";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, Stat } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatInteger, formatPowerW } from "@/components/format";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Fleet" };

export default async function AdminPage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("staff", "/admin");
  const [totals, sites] = await Promise.all([api.fleet.totals(), api.fleet.sites()]);
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} />
      <PageTitle title="Fleet" subtitle={`${totals.customers} compute customers · ${totals.landlords} landlords`} />
      <dl className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
        <Stat label="Sites" value={formatInteger(totals.sites)} />
        <Stat label="Dwellings" value={formatInteger(totals.dwellings)} />
        <Stat label="Gateways" value={formatInteger(totals.gateways)} />
        <Stat label="Radiators" value={formatInteger(totals.radiators)} />
        <Stat label="Cores" value={formatInteger(totals.cores)} />
        <Stat label="Heating capacity" value={formatPowerW(totals.maxPowerW)} />
      </dl>
      <Card>
        <CardHeader title="Sites" />
        <Table caption="Sites of the fleet">
          <THead>
            <tr>
              <Th>Site</Th>
              <Th>Owner</Th>
              <Th>Kind</Th>
              <Th numeric>Buildings</Th>
              <Th numeric>Dwellings</Th>
              <Th numeric>Radiators</Th>
              <Th numeric>Cores</Th>
              <Th numeric>Capacity</Th>
            </tr>
          </THead>
          <TBody>
            {sites.map((s) => (
              <Tr key={s.id}>
                <Td>
                  <span className="font-medium">{s.name}</span>
                  <span className="block text-stone-600">
                    {s.city} · zone {s.climateZone}
                  </span>
                </Td>
                <Td>{s.owner}</Td>
                <Td>{s.kind === "housing" ? <Badge>housing</Badge> : <Badge tone="info">all-year heat sink</Badge>}</Td>
                <Td numeric>{formatInteger(s.buildingCount)}</Td>
                <Td numeric>{formatInteger(s.dwellingCount)}</Td>
                <Td numeric>{formatInteger(s.radiatorCount)}</Td>
                <Td numeric>{formatInteger(s.cores)}</Td>
                <Td numeric>{formatPowerW(s.maxPowerW)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
