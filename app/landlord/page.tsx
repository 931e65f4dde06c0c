import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatInteger } from "@/components/format";
import { serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Buildings" };

export default async function LandlordPage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("landlord", "/landlord");
  const buildings = await api.portfolio.buildings();
  const dwellings = buildings.reduce((n, b) => n + b.dwellingCount, 0);
  const radiators = buildings.reduce((n, b) => n + b.radiatorCount, 0);
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} />
      <PageTitle
        title="Buildings"
        subtitle={`${countOf(buildings.length, "building")} · ${countOf(dwellings, "dwelling")} · ${countOf(radiators, "radiator")}`}
      />
      <Card>
        <CardHeader title="Portfolio" description="Every building equipped with computing radiators." />
        <Table caption="Buildings">
          <THead>
            <tr>
              <Th>Building</Th>
              <Th>Site</Th>
              <Th numeric>Dwellings</Th>
              <Th numeric>Radiators</Th>
              <Th numeric>Gateways</Th>
              <Th numeric>Residents enrolled</Th>
            </tr>
          </THead>
          <TBody>
            {buildings.map((b) => (
              <Tr key={b.id}>
                <Td>
                  <Link href={`/landlord/buildings/${b.id}`} className="font-medium text-brand-700 underline">
                    {b.name}
                  </Link>
                  <span className="block text-stone-600">{b.address}</span>
                </Td>
                <Td>
                  {b.siteName}, {b.city}{" "}
                  {b.siteKind === "all_year_heat_sink" && <Badge tone="info">all-year heat</Badge>}
                </Td>
                <Td numeric>{formatInteger(b.dwellingCount)}</Td>
                <Td numeric>{formatInteger(b.radiatorCount)}</Td>
                <Td numeric>{formatInteger(b.gatewayCount)}</Td>
                <Td numeric>{formatInteger(b.enrolledResidentCount)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
