import type { Metadata } from "next";
import { Suspense } from "react";
import { getFormatter, getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { EnergyBarsChart } from "@/components/charts/energy-bars-chart";
import { HistoryLegend } from "@/components/charts/history-legend";
import { RoomTemperatureChart } from "@/components/charts/room-temperature-chart";
import { formatFigure } from "@/components/charts/history-format";
import { HistoryTable, HistoryTotals } from "@/components/home/history-figures";
import { HistoryLoading } from "@/components/home/history-loading";
import { HistoryNav } from "@/components/home/history-nav";
import { PageTitle } from "@/components/layout/app-shell";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { orNotFound, serverApi } from "@/server/api/request-context";
import type { HistoryRange } from "@/server/domain/history-period";
import {
  anchorOrToday,
  axisTicks,
  energyBars,
  heatBands,
  isHistoryRange,
  localDay,
  temperatureRows,
  type ViewPoint,
} from "@/server/domain/history-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("history");
  return { title: t("metaTitle") };
}

type Query = { range?: string | string[]; anchor?: string | string[] };

export default async function RoomHistoryPage({ params, searchParams }: { params: Promise<{ roomId: string }>; searchParams: Promise<Query> }) {
  const [{ roomId }, query] = await Promise.all([params, searchParams]);
  const range = isHistoryRange(query.range) ? query.range : "day";
  const api = await serverApi("resident", `/home/rooms/${roomId}/history`);
  // Another flat's room is a 404 before anything streams; the history itself may take a moment.
  const [room, t] = await Promise.all([orNotFound(api.home.room({ roomId })), getTranslations("history")]);
  return (
    <>
      <PageTitle back={{ href: "/home", label: t("back") }} title={t("title", { room: room.name })} />
      <Suspense key={`${range}/${query.anchor}`} fallback={<HistoryLoading />}>
        <RoomHistoryView api={api} roomId={roomId} range={range} asked={query.anchor} />
      </Suspense>
    </>
  );
}

async function RoomHistoryView({
  api,
  roomId,
  range,
  asked,
}: {
  api: Awaited<ReturnType<typeof serverApi>>;
  roomId: string;
  range: HistoryRange;
  asked: Query["anchor"];
}) {
  const load = (today: string) => api.history.room({ roomId, range, anchor: anchorOrToday(asked, today) });
  // Today is the site's: guessed from the pages' zone, asked again in the site's own when they differ.
  const guessed = await load(localDay(new Date(), await getTimeZone()));
  const today = localDay(new Date(), guessed.timeZone);
  const history = guessed.anchor === anchorOrToday(asked, today) ? guessed : await load(today);

  const [t, units, format, locale] = await Promise.all([getTranslations("history"), getTranslations("common.units"), getFormatter(), getLocale()]);
  const points: ViewPoint[] = history.points.map((p) => ({ ...p, startMs: p.start.getTime(), endMs: p.end.getTime() }));
  const zone = new Intl.DateTimeFormat(locale, { timeZone: history.timeZone, timeZoneName: "longGeneric" })
    .formatToParts(history.start)
    .find((part) => part.type === "timeZoneName")?.value;
  const temp = (value: number | null) => (value === null ? formatFigure(format, null) : units("tempC", { value }));
  const bars = energyBars(range, points, history.energyByDay);
  const ticks = axisTicks(range, points);
  const tickLabels = Object.fromEntries(points.filter((p) => ticks.includes(p.startMs)).map((p) => [p.startMs, p.label]));
  const barsTitle = t(range === "day" ? "energy.hour" : range === "year" ? "energy.month" : "energy.day");

  return (
    <>
      <p className="-mt-4 mb-4 text-sm text-stone-600">{t("subtitle", { zone: zone ?? history.timeZone })}</p>
      <HistoryNav roomId={roomId} period={history} today={today} />
      {history.totals.readingCount === 0 ? (
        <Card role="status">
          <CardHeader title={t("empty.title")} />
          <CardContent>
            <p className="text-stone-700">{t("empty.body")}</p>
          </CardContent>
        </Card>
      ) : (
        <div className="flex flex-col gap-4">
          <HistoryTotals totals={history.totals} />
          <Card>
            <CardHeader title={t("chart.title")} />
            <figure className="flex flex-col gap-3 p-4">
              <HistoryLegend />
              <RoomTemperatureChart
                range={range}
                startMs={history.start.getTime()}
                endMs={history.end.getTime()}
                rows={temperatureRows(points)}
                bands={heatBands(points)}
                ticks={ticks}
                tickLabels={tickLabels}
              />
              <figcaption className="text-sm text-stone-700">
                {t("chart.summary", {
                  room: temp(history.totals.roomTempC),
                  target: temp(history.totals.targetTempC),
                  outdoor: temp(history.totals.outdoorTempC),
                  share: history.totals.heatingShare === null ? formatFigure(format, null) : format.number(history.totals.heatingShare, { style: "percent" }),
                })}
              </figcaption>
            </figure>
          </Card>
          <Card>
            <CardHeader title={barsTitle} description={t("energy.axis")} />
            <figure className="flex flex-col gap-3 p-4">
              <EnergyBarsChart range={range} bars={bars} title={barsTitle} />
              <figcaption className="text-sm text-stone-700">
                {t("energy.summary", {
                  count: bars.length,
                  total: units("kwh", { value: history.totals.energyWh / 1000 }),
                  max: units("kwh", { value: Math.max(0, ...bars.map((b) => b.energyWh)) / 1000 }),
                })}
              </figcaption>
            </figure>
          </Card>
          <HistoryTable points={points} />
        </div>
      )}
    </>
  );
}
