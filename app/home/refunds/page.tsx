import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { serverApi } from "@/server/api/request-context";
import { formatEuros, formatStatementMonth } from "@/server/domain/refund-statements";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("refunds");
  return { title: t("metaTitle") };
}

export default async function RefundsPage() {
  const api = await serverApi("resident", "/home/refunds");
  const [{ enrolledSince, statements, years }, t, locale] = await Promise.all([api.statements.list(), getTranslations("refunds"), getLocale()]);
  const euros = (cents: number) => formatEuros(cents, locale);
  const kwh = (wh: number) => t("kwh", { value: wh / 1000 });
  const day = (date: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
  return (
    <>
      <PageTitle
        title={t("title")}
        subtitle={
          <>
            {t("subtitle")} {enrolledSince ? t("enrolledSince", { month: formatStatementMonth(enrolledSince, locale) }) : t("notEnrolled")}
          </>
        }
      />
      {statements.length === 0 ? (
        <Card role="status">
          <CardContent>
            <p className="text-stone-700">{t("empty")}</p>
          </CardContent>
        </Card>
      ) : (
        <div className="flex flex-col gap-6">
          <Card aria-labelledby="refund-months">
            <CardHeader title={<span id="refund-months">{t("list.title")}</span>} />
            <ul className="divide-y divide-stone-100">
              {statements.map((s) => {
                const month = formatStatementMonth(s.month, locale);
                return (
                  <li key={s.month}>
                    <Link
                      href={`/home/refunds/${s.month}`}
                      className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-stone-50 focus-visible:bg-stone-50"
                    >
                      <span>
                        <span className="sr-only">{t("list.openPrefix")} </span>
                        <span className="block font-medium capitalize text-stone-900">{month}</span>
                        <span className="block text-sm text-stone-600">{kwh(s.energyWh)}</span>
                      </span>
                      <span className="flex flex-col items-end gap-1">
                        <span className="font-semibold tabular-nums text-stone-900">{euros(s.amountCents)}</span>
                        {s.paidOn ? (
                          <Badge tone="success">{t("status.paid", { date: day(s.paidOn) })}</Badge>
                        ) : (
                          <Badge tone="warning">{t("status.due")}</Badge>
                        )}
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </Card>
          <Card aria-labelledby="refund-years">
            <CardHeader title={<span id="refund-years">{t("years.title")}</span>} />
            <Table caption={t("years.caption")} scrollable>
              <THead>
                <tr>
                  <Th>{t("years.year")}</Th>
                  <Th numeric>{t("years.statements")}</Th>
                  <Th numeric>{t("years.energy")}</Th>
                  <Th numeric>{t("years.amount")}</Th>
                  <Th numeric>{t("years.paid")}</Th>
                  <Th numeric>{t("years.due")}</Th>
                </tr>
              </THead>
              <TBody>
                {years.map((y) => (
                  <Tr key={y.year}>
                    <Th scope="row" className="text-left">
                      {y.year}
                    </Th>
                    <Td numeric>{y.statements}</Td>
                    <Td numeric>{kwh(y.energyWh)}</Td>
                    <Td numeric className="font-semibold">
                      {euros(y.amountCents)}
                    </Td>
                    <Td numeric>{euros(y.paidAmountCents)}</Td>
                    <Td numeric>{euros(y.dueAmountCents)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </Card>
        </div>
      )}
    </>
  );
}
