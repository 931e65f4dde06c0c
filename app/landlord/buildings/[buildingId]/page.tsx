import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { orNotFound, serverApi } from "@/server/api/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("landlord.building");
  return { title: t("metaTitle") };
}

export default async function BuildingPage({ params }: { params: Promise<{ buildingId: string }> }) {
  const { buildingId } = await params;
  const api = await serverApi("landlord", `/landlord/buildings/${buildingId}`);
  const [{ building, dwellings }, t, format] = await Promise.all([
    orNotFound(api.portfolio.building({ buildingId })),
    getTranslations("landlord.building"),
    getFormatter(),
  ]);
  return (
    <>
      <PageTitle
        back={{ href: "/landlord", label: t("back") }}
        title={building.name}
        subtitle={t("subtitle", {
          address: building.address,
          site: building.siteName,
          zone: building.climateZone,
          radiators: building.radiatorCount,
          gateways: building.gatewayCount,
        })}
      />
      <Card>
        <CardHeader title={t("dwellingsTitle")} description={t("dwellingCount", { count: dwellings.length })} />
        <Table caption={t("caption")}>
          <THead>
            <tr>
              <Th>{t("dwelling")}</Th>
              <Th numeric>{t("floor")}</Th>
              <Th numeric>{t("rooms")}</Th>
              <Th numeric>{t("radiators")}</Th>
              <Th>{t("enrolment")}</Th>
            </tr>
          </THead>
          <TBody>
            {dwellings.map((d) => (
              <Tr key={d.id}>
                <Td className="font-medium">{d.label}</Td>
                <Td numeric>{format.number(d.floor)}</Td>
                <Td numeric>{format.number(d.roomCount)}</Td>
                <Td numeric>{format.number(d.radiatorCount)}</Td>
                <Td>{d.residentEnrolled ? <Badge tone="success">{t("enrolled")}</Badge> : <Badge>{t("notEnrolled")}</Badge>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
