import type { DateTimeFormatOptions, useFormatter } from "next-intl";
import type { HistoryRange } from "@/server/domain/history-period";
import { wallTime } from "@/server/domain/history-view";

/**
 * Dates of a room's history in the page's language. Labels are wall times of the site's zone
 * (see server/domain/history-view.ts), so they are formatted in UTC: the site's clock, whatever
 * the zone of the browser or the server.
 */
type Formatter = ReturnType<typeof useFormatter>;
type Options = DateTimeFormatOptions;

const UTC = { timeZone: "UTC" } as const;
const HOUR_MS = 3_600_000;

/** A tick of the temperature chart's axis, from the label of the period it starts. */
const TICK: Record<HistoryRange, Options> = {
  day: { hour: "numeric", minute: "2-digit" },
  week: { weekday: "short", day: "numeric" },
  month: { day: "numeric", month: "short" },
  year: { month: "short" },
};

/** A tick of the energy chart: an hour, a weekday, a day of the month, a month. */
const BAR_TICK: Record<HistoryRange, Options> = {
  day: { hour: "numeric" },
  week: { weekday: "short", day: "numeric" },
  month: { day: "numeric" },
  year: { month: "short" },
};

export function formatTick(format: Formatter, range: HistoryRange, label: string): string {
  return format.dateTime(wallTime(label), { ...TICK[range], ...UTC });
}

export function formatBarTick(format: Formatter, range: HistoryRange, key: string): string {
  return format.dateTime(wallTime(key), { ...BAR_TICK[range], ...UTC });
}

/** A whole period for a tooltip or a table row: an hour as "sam. 5 déc., 14:00–15:00", a day, a month. */
export function formatPeriod(format: Formatter, label: string): string {
  const at = wallTime(label);
  if (label.includes("T")) {
    return format.dateTimeRange(at, at.getTime() + HOUR_MS, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", ...UTC });
  }
  if (label.length === 7) return format.dateTime(at, { month: "long", year: "numeric", ...UTC });
  return format.dateTime(at, { weekday: "short", day: "numeric", month: "short", year: "numeric", ...UTC });
}

/** The period a page shows, as its heading: a day, "30 nov. – 6 déc. 2026", a month, a year. */
export function formatRange(format: Formatter, range: HistoryRange, startDate: string, lastDate: string): string {
  const start = wallTime(startDate);
  switch (range) {
    case "day":
      return format.dateTime(start, { dateStyle: "full", ...UTC });
    case "week":
      return format.dateTimeRange(start, wallTime(lastDate), { day: "numeric", month: "short", year: "numeric", ...UTC });
    case "month":
      return format.dateTime(start, { month: "long", year: "numeric", ...UTC });
    case "year":
      return format.dateTime(start, { year: "numeric", ...UTC });
  }
}

/** A figure with at most one decimal, in the page's language; a dash when there is none. */
export function formatFigure(format: Formatter, value: number | null, digits = 1): string {
  return value === null ? "—" : format.number(value, { maximumFractionDigits: digits });
}
