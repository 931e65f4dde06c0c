import { getTranslations } from "next-intl/server";
import { HISTORY_COLOURS } from "./history-colours";

/** The temperature chart's key, in the page's text (the chart's own legend is not read out). */
export async function HistoryLegend() {
  const t = await getTranslations("history.chart");
  const lines = [
    { key: "roomTempC", dash: undefined, width: 2.5 },
    { key: "targetTempC", dash: "6 3", width: 2 },
    { key: "outdoorTempC", dash: "2 3", width: 2 },
  ] as const;
  return (
    <div className="flex flex-col gap-1 text-sm text-stone-800">
      <ul className="flex flex-wrap gap-x-4 gap-y-1">
        {lines.map((l) => (
          <li key={l.key} className="flex items-center gap-1.5">
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="24" y2="4" stroke={HISTORY_COLOURS[l.key]} strokeWidth={l.width} strokeDasharray={l.dash} />
            </svg>
            {t(l.key)}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 w-5 rounded-sm" style={{ background: `linear-gradient(to right, ${HISTORY_COLOURS.heat}33, ${HISTORY_COLOURS.heat}9e)` }} />
          {t("heating")}
        </li>
      </ul>
      <p className="text-stone-700">{t("heatingHint")}</p>
    </div>
  );
}
