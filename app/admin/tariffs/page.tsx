import type { Metadata } from "next";
import { AddTariffForm } from "@/components/admin/add-tariff-form";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { countOf, formatCalendarDay } from "@/components/format";
import { serverApi } from "@/server/api/request-context";
import { formatPricePerKWh } from "@/server/domain/refund-statements";

export const metadata: Metadata = { title: "Electricity tariffs" };

export default async function TariffsPage() {
  const api = await serverApi("staff", "/admin/tariffs");
  const tariffs = await api.refunds.tariffs();
  return (
    <>
      <PageTitle
        title="Electricity tariffs"
        subtitle={`${countOf(tariffs.length, "version")}. Refunds pay each kWh at the price in force the day it was used; a version used by a closed month never changes, a correction is a new version.`}
      />
      <Card className="mb-6">
        <CardHeader title="Add a version" description="It applies from 00:00 on its date, in each site's time zone, to dwellings of its country and option." />
        <CardContent>
          <AddTariffForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader title="Versions" />
        <Table caption="Tariff versions" scrollable>
          <THead>
            <tr>
              <Th>Country</Th>
              <Th>Option</Th>
              <Th>Label</Th>
              <Th>Effective from</Th>
              <Th numeric>Price per kWh</Th>
              <Th>Source</Th>
              <Th>Status</Th>
            </tr>
          </THead>
          <TBody>
            {tariffs.map((t) => (
              <Tr key={t.id}>
                <Td>{t.country}</Td>
                <Td className="font-mono">{t.option}</Td>
                <Td>{t.label}</Td>
                <Td className="whitespace-nowrap">{formatCalendarDay(t.effectiveFrom)}</Td>
                <Td numeric>{formatPricePerKWh(t.priceMicroEurosPerKWh, "en-GB")}</Td>
                <Td>{t.source}</Td>
                <Td>{t.usedByClosedMonth ? <Badge tone="neutral">used by a close</Badge> : <Badge tone="success">not used yet</Badge>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  );
}
