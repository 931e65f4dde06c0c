import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { formatEuros, formatStatementMonth } from "@/server/domain/refund-statements";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("landlord.building");
  return { title: t("metaTitle") };
}

export default async function BuildingPage({ params }: { params: Promise<{ buildingId: string }> }) {
  const { buildingId } = await params;
  const api = await serverApi("landlord", `/landlord/buildings/${buildingId}`);
  const [{ building, dwellings }, t, format, locale] = await Promise.all([
    orNotFound(api.portfolio.building({ buildingId })),
    getTranslations("landlord.building"),
    getFormatter(),
    getLocale(),
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
        <Table caption={t("caption")} scrollable>
          <THead>
            <tr>
              <Th>{t("dwelling")}</Th>
              <Th numeric>{t("floor")}</Th>
              <Th numeric>{t("rooms")}</Th>
              <Th numeric>{t("radiators")}</Th>
              <Th>{t("enrolment")}</Th>
              <Th numeric>{t("refunded")}</Th>
              <Th numeric>{t("refundPaid")}</Th>
            </tr>
          </THead>
          <TBody>
            {dwellings.map((d) => (
              <Tr key={d.id}>
                <Td className="font-medium">{d.label}</Td>
                <Td numeric>{format.number(d.floor)}</Td>
                <Td numeric>{format.number(d.roomCount)}</Td>
                <Td numeric>{format.number(d.radiatorCount)}</Td>
                <Td>
                  {d.refundEnrolledSince ? (
                    <Badge tone="success">{t("enrolledSince", { month: formatStatementMonth(d.refundEnrolledSince, locale) })}</Badge>
                  ) : (
                    <Badge>{t("notEnrolled")}</Badge>
                  )}
                </Td>
                <Td numeric>{d.refundStatements > 0 ? formatEuros(d.refundAmountCents, locale) : t("none")}</Td>
                <Td numeric>{d.refundStatements > 0 ? formatEuros(d.refundPaidCents, locale) : t("none")}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        <p className="border-t border-stone-200 px-4 py-3 text-sm text-stone-600">{t("refundNote")}</p>
      </Card>
    </>
  );
}
