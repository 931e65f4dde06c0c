import type { Metadata } from "next";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf } from "@/components/format";
import { orNotFound, serverApi } from "@/server/api/request-context";

export const metadata: Metadata = { title: "Building" };

export default async function BuildingPage({ params }: { params: Promise<{ buildingId: string }> }) {
  const { buildingId } = await params;
  const api = await serverApi("landlord", `/landlord/buildings/${buildingId}`);
  const { building, dwellings } = await orNotFound(api.portfolio.building({ buildingId }));
  return (
    <>
      <PageTitle
        back={{ href: "/landlord", label: "All buildings" }}
        title={building.name}
        subtitle={`${building.address} · ${building.siteName} (climate zone ${building.climateZone}) · ${countOf(building.radiatorCount, "radiator")} on ${countOf(
          building.gatewayCount,
          "gateway",
        )}`}
      />
      <Card>
        <CardHeader title="Dwellings" description={countOf(dwellings.length, "dwelling")} />
        <Table caption="Dwellings of the building">
          <THead>
            <tr>
              <Th>Dwelling</Th>
              <Th numeric>Floor</Th>
              <Th numeric>Rooms</Th>
              <Th numeric>Radiators</Th>
              <Th>Refund enrolment</Th>
            </tr>
          </THead>
          <TBody>
            {dwellings.map((d) => (
              <Tr key={d.id}>
                <Td className="font-medium">{d.label}</Td>
                <Td numeric>{d.floor}</Td>
                <Td numeric>{d.roomCount}</Td>
                <Td numeric>{d.radiatorCount}</Td>
                <Td>{d.residentEnrolled ? <Badge tone="success">enrolled</Badge> : <Badge>not enrolled</Badge>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
