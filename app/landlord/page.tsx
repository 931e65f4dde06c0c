import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverApi } from "@/server/api/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("landlord.portfolio");
  return { title: t("title") };
}

export default async function LandlordPage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const api = await serverApi("landlord", "/landlord");
  const [buildings, t, format] = await Promise.all([api.portfolio.buildings(), getTranslations("landlord.portfolio"), getFormatter()]);
  const dwellings = buildings.reduce((n, b) => n + b.dwellingCount, 0);
  const radiators = buildings.reduce((n, b) => n + b.radiatorCount, 0);
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} locale={await getLocale()} />
      <PageTitle title={t("title")} subtitle={t("subtitle", { buildings: buildings.length, dwellings, radiators })} />
      <Card>
        <CardHeader title={t("cardTitle")} description={t("cardDescription")} />
        <Table caption={t("title")}>
          <THead>
            <tr>
              <Th>{t("building")}</Th>
              <Th>{t("site")}</Th>
              <Th numeric>{t("dwellings")}</Th>
              <Th numeric>{t("radiators")}</Th>
              <Th numeric>{t("gateways")}</Th>
              <Th numeric>{t("enrolled")}</Th>
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
                  {b.siteKind === "all_year_heat_sink" && <Badge tone="info">{t("allYearHeat")}</Badge>}
                </Td>
                <Td numeric>{format.number(b.dwellingCount)}</Td>
                <Td numeric>{format.number(b.radiatorCount)}</Td>
                <Td numeric>{format.number(b.gatewayCount)}</Td>
                <Td numeric>{format.number(b.enrolledDwellingCount)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
