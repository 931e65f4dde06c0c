import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { formatRange } from "@/components/charts/history-format";
import { cn } from "@/components/ui/cn";
import { historyHref } from "./history-href";
import { HISTORY_RANGES, type HistoryRange } from "@/server/domain/history-period";
import { hasBegun, lastDayOf } from "@/server/domain/history-view";

type Period = { range: HistoryRange; anchor: string; startDate: string; endDate: string; previousAnchor: string; nextAnchor: string };

const step = "inline-flex min-h-11 items-center rounded-md border border-stone-300 bg-white px-3 text-sm font-medium";

/**
 * The ranges as tabs (links: each is its own page) and the period with previous and next. Next
 * is shown but not a link while that period has not begun.
 */
export async function HistoryNav({ roomId, period, today }: { roomId: string; period: Period; today: string }) {
  const [t, format] = await Promise.all([getTranslations("history"), getFormatter()]);
  const showsToday = period.startDate <= today && today < period.endDate;
  return (
    <div className="mb-4 flex flex-col gap-3">
      <nav aria-label={t("ranges.label")}>
        <ul className="grid grid-cols-4 overflow-hidden rounded-md border border-stone-300 text-sm sm:inline-grid">
          {HISTORY_RANGES.map((r) => (
            <li key={r} className="border-l border-stone-300 first:border-l-0">
              <Link
                href={historyHref(roomId, r, period.anchor)}
                aria-current={r === period.range ? "page" : undefined}
                className={cn(
                  "flex min-h-11 items-center justify-center px-4 font-medium",
                  r === period.range ? "bg-brand-700 text-white" : "bg-white text-stone-800 hover:bg-stone-100",
                )}
              >
                {t(`ranges.${r}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label={t("pager.label")} className="flex items-center justify-between gap-2">
        <Link href={historyHref(roomId, period.range, period.previousAnchor)} className={cn(step, "text-stone-900 hover:bg-stone-100")}>
          <span aria-hidden="true">←</span>
          <span className="sr-only">{t("pager.previousLong")}</span>
          <span aria-hidden="true" className="ml-1 hidden sm:inline">
            {t("pager.previous")}
          </span>
        </Link>
        <div className="flex flex-col items-center text-center">
          <h2 className="text-base font-semibold text-stone-900 first-letter:uppercase">
            {formatRange(format, period.range, period.startDate, lastDayOf(period.endDate))}
          </h2>
          {!showsToday && (
            <Link href={historyHref(roomId, period.range)} className="text-sm text-brand-700 underline">
              {t("pager.today")}
            </Link>
          )}
        </div>
        {hasBegun(period.nextAnchor, today) ? (
          <Link href={historyHref(roomId, period.range, period.nextAnchor)} className={cn(step, "text-stone-900 hover:bg-stone-100")}>
            <span aria-hidden="true" className="mr-1 hidden sm:inline">
              {t("pager.next")}
            </span>
            <span className="sr-only">{t("pager.nextLong")}</span>
            <span aria-hidden="true">→</span>
          </Link>
        ) : (
          <span role="link" aria-disabled="true" className={cn(step, "cursor-not-allowed border-stone-200 bg-stone-50 text-stone-500")}>
            <span aria-hidden="true" className="mr-1 hidden sm:inline">
              {t("pager.next")}
            </span>
            <span className="sr-only">{t("pager.noNext")}</span>
            <span aria-hidden="true">→</span>
          </span>
        )}
      </nav>
    </div>
  );
}
