import { getFormatter, getTranslations } from "next-intl/server";
import { formatFigure, formatPeriod } from "@/components/charts/history-format";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { hasFigures, type ViewPoint } from "@/server/domain/history-view";

type Totals = { energyWh: number; roomTempC: number | null; targetTempC: number | null; outdoorTempC: number | null; heatingShare: number | null };

/** The range's totals: energy, mean temperatures, heating share. */
export async function HistoryTotals({ totals }: { totals: Totals }) {
  const [t, units, format] = await Promise.all([getTranslations("history.totals"), getTranslations("common.units"), getFormatter()]);
  const temp = (value: number | null) => (value === null ? formatFigure(format, null) : units("tempC", { value }));
  return (
    <section aria-labelledby="history-totals" className="mb-4">
      <h2 id="history-totals" className="sr-only">
        {t("title")}
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        <Figure label={t("energy")} value={units("kwh", { value: totals.energyWh / 1000 })} />
        <Figure label={t("roomTemp")} value={temp(totals.roomTempC)} />
        <Figure label={t("target")} value={temp(totals.targetTempC)} />
        <Figure label={t("outdoor")} value={temp(totals.outdoorTempC)} />
        <Figure
          label={t("heating")}
          value={totals.heatingShare === null ? formatFigure(format, null) : format.number(totals.heatingShare, { style: "percent" })}
        />
      </dl>
    </section>
  );
}

/** A headline figure, compact enough for five on a phone's first screen. */
function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-stone-200 bg-white px-3 py-2 shadow-sm">
      <dt className="text-sm text-stone-600">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums text-stone-900">{value}</dd>
    </div>
  );
}

/** The charts' figures as a table, folded away: the text alternative of the charts. */
export async function HistoryTable({ points }: { points: ViewPoint[] }) {
  const [t, format] = await Promise.all([getTranslations("history.table"), getFormatter()]);
  const rows = points.filter(hasFigures);
  return (
    <details className="group rounded-lg border border-stone-200 bg-white shadow-sm">
      <summary className="flex min-h-11 cursor-pointer items-center px-4 font-medium text-brand-700 underline-offset-4 hover:underline">
        {t("show")}
      </summary>
      <Table caption={t("caption", { count: rows.length })} scrollable>
        <THead>
          <tr>
            <Th>{t("time")}</Th>
            <Th numeric>{t("roomTemp")}</Th>
            <Th numeric>{t("target")}</Th>
            <Th numeric>{t("outdoor")}</Th>
            <Th numeric>{t("heating")}</Th>
            <Th numeric>{t("energy")}</Th>
          </tr>
        </THead>
        <TBody>
          {rows.map((p) => (
            <Tr key={p.startMs}>
              <Th scope="row" className="whitespace-nowrap font-normal">
                {formatPeriod(format, p.label)}
              </Th>
              <Td numeric>{formatFigure(format, p.roomTempC)}</Td>
              <Td numeric>{formatFigure(format, p.targetTempC)}</Td>
              <Td numeric>{formatFigure(format, p.outdoorTempC)}</Td>
              <Td numeric>{p.heatingShare === null ? formatFigure(format, null) : format.number(p.heatingShare, { style: "percent" })}</Td>
              <Td numeric>{formatFigure(format, p.energyWh / 1000, 2)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </details>
  );
}
