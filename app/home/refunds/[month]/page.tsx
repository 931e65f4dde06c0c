import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { orNotFound, serverApi } from "@/server/api/request-context";
import { formatEuros, formatPricePerKWh, formatStatementMonth, groupLines } from "@/server/domain/refund-statements";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("refunds.statement");
  return { title: t("metaTitle") };
}

export default async function StatementPage({ params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const api = await serverApi("resident", `/home/refunds/${month}`);
  // Another home's month, a month without a statement or a malformed one: the "not found" page.
  const [statement, t, locale] = await Promise.all([orNotFound(api.statements.get({ month })), getTranslations("refunds"), getLocale()]);
  const zone = statement.dwelling.timeZone;
  const monthName = formatStatementMonth(statement.month, locale);
  const euros = (cents: number) => formatEuros(cents, locale);
  const kwh = (wh: number | null) => (wh === null ? t("statement.lines.none") : t("kwh", { value: wh / 1000 }));
  const shortDay = (date: Date) => new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: zone }).format(date);
  const longDay = (date: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
  const perM2 = (wh: number | null) => (wh === null ? t("statement.comparison.none") : t("statement.comparison.perM2", { value: wh / 1000 }));
  const { comparison, payment } = statement;

  return (
    <>
      <PageTitle back={{ href: "/home/refunds", label: t("statement.back") }} title={t("statement.title", { month: monthName })} />
      <div className="flex flex-col gap-6">
        <Card aria-labelledby="statement-summary">
          <CardHeader title={<span id="statement-summary">{t("statement.summary")}</span>} />
          <CardContent>
            <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              <div>
                <dt className="text-sm text-stone-600">{t("statement.amount")}</dt>
                <dd className="text-3xl font-semibold tabular-nums text-stone-900" data-testid="statement-amount">
                  {euros(statement.amountCents)}
                </dd>
              </div>
              <div>
                <dt className="text-sm text-stone-600">{t("statement.energy")}</dt>
                <dd className="text-xl font-semibold tabular-nums text-stone-900">{kwh(statement.energyWh)}</dd>
              </div>
              <div>
                <dt className="text-sm text-stone-600">{t("statement.payment")}</dt>
                <dd className="flex flex-col gap-1">
                  {payment ? (
                    <>
                      <Badge tone="success">{t("statement.paid", { date: longDay(payment.paidOn) })}</Badge>
                      <span className="text-sm text-stone-700">{t("statement.reference", { reference: payment.reference })}</span>
                    </>
                  ) : (
                    <span className="text-sm text-stone-700">{t("statement.due")}</span>
                  )}
                </dd>
              </div>
              <div>
                <dt className="text-sm text-stone-600">{t("statement.holder")}</dt>
                <dd className="font-medium text-stone-900">{statement.holderName}</dd>
              </div>
              <div>
                <dt className="text-sm text-stone-600">{t("statement.iban")}</dt>
                <dd className="font-medium tabular-nums text-stone-900">{statement.ibanMasked}</dd>
              </div>
            </dl>
            <p className="mt-4">
              <a href={`/home/refunds/${statement.month}/statement.pdf`} download className={buttonClasses("secondary")}>
                {t("statement.download")}
              </a>
            </p>
          </CardContent>
        </Card>

        <Card aria-labelledby="statement-lines">
          <CardHeader title={<span id="statement-lines">{t("statement.lines.title")}</span>} />
          <ul className="divide-y divide-stone-200">
            {groupLines(statement.lines).map((group) => (
              <li key={`${group.kind}:${group.energyMonth}:${group.deviceSerial}`} className="px-4 py-3">
                <div className="flex items-baseline justify-between gap-3">
                  <h3 className="font-medium text-stone-900">
                    {group.kind === "adjustment"
                      ? t("statement.lines.adjustment", { month: formatStatementMonth(group.energyMonth.slice(0, 7), locale) })
                      : (group.roomName ?? t("statement.lines.noRoom"))}
                    <span className="block text-sm font-normal text-stone-600">
                      {group.kind === "gateway"
                        ? t("statement.lines.gateway", { serial: group.deviceSerial })
                        : t("statement.lines.radiator", { serial: group.deviceSerial })}
                      {group.kind === "adjustment" && group.roomName ? ` · ${group.roomName}` : ""}
                    </span>
                  </h3>
                  <span className="font-semibold tabular-nums">{euros(group.amountCents)}</span>
                </div>
                {group.kind === "adjustment" && <p className="mt-1 text-sm text-stone-600">{t("statement.lines.adjustmentNote")}</p>}
                <dl className="mt-2 flex flex-col gap-2 text-sm">
                  {group.lines.map((line) => (
                    <div key={line.position} className="grid grid-cols-2 gap-x-3 gap-y-0.5 rounded bg-stone-50 p-2 tabular-nums sm:grid-cols-4">
                      <dt className="text-stone-600">{t("statement.lines.period")}</dt>
                      <dd>{t("statement.periodValue", { from: shortDay(line.periodStart), to: shortDay(new Date(line.periodEnd.getTime() - 1)) })}</dd>
                      <dt className="text-stone-600">{t("statement.lines.meterStart")}</dt>
                      <dd>{kwh(line.meterStartWh)}</dd>
                      <dt className="text-stone-600">{t("statement.lines.meterEnd")}</dt>
                      <dd>{kwh(line.meterEndWh)}</dd>
                      <dt className="text-stone-600">{t("statement.lines.energy")}</dt>
                      <dd>{kwh(line.energyWh)}</dd>
                      <dt className="text-stone-600">{t("statement.lines.price")}</dt>
                      <dd>{formatPricePerKWh(line.priceMicroEurosPerKWh, locale)}</dd>
                      <dt className="text-stone-600">{t("statement.lines.amount")}</dt>
                      <dd>{euros(line.amountCents)}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
          <p className="flex justify-between border-t border-stone-200 px-4 py-3 font-semibold">
            <span>{t("statement.lines.total")}</span>
            <span className="tabular-nums">
              {kwh(statement.energyWh)} · {euros(statement.amountCents)}
            </span>
          </p>
        </Card>

        <Card aria-labelledby="statement-tariffs">
          <CardHeader title={<span id="statement-tariffs">{t("statement.tariffs.title")}</span>} />
          <Table caption={t("statement.tariffs.caption")} scrollable>
            <THead>
              <tr>
                <Th>{t("statement.tariffs.label")}</Th>
                <Th>{t("statement.tariffs.from")}</Th>
                <Th numeric>{t("statement.tariffs.price")}</Th>
                <Th>{t("statement.tariffs.source")}</Th>
              </tr>
            </THead>
            <TBody>
              {statement.tariffs.map((tariff) => (
                <Tr key={tariff.id}>
                  <Td>{tariff.label}</Td>
                  <Td>{longDay(tariff.effectiveFrom)}</Td>
                  <Td numeric>{formatPricePerKWh(tariff.priceMicroEurosPerKWh, locale)}</Td>
                  <Td className="text-stone-600">{tariff.source}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>

        <Card aria-labelledby="statement-comparison">
          <CardHeader title={<span id="statement-comparison">{t("statement.comparison.title")}</span>} />
          <CardContent>
            <dl className="grid grid-cols-2 gap-4 tabular-nums">
              <div>
                <dt className="text-sm text-stone-600">{t("statement.comparison.home")}</dt>
                <dd className="text-lg font-semibold">{perM2(comparison.homeWhPerM2)}</dd>
              </div>
              <div>
                <dt className="text-sm text-stone-600">{t("statement.comparison.building")}</dt>
                <dd className="text-lg">{perM2(comparison.buildingWhPerM2)}</dd>
              </div>
            </dl>
            <p className="mt-3 text-sm text-stone-600">
              {comparison.buildingWhPerM2 === null
                ? t("statement.comparison.tooFew", { minimum: comparison.minimumDwellings, count: comparison.dwellings })
                : t("statement.comparison.over", { count: comparison.dwellings })}
            </p>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
