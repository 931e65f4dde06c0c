/**
 * The periods of a room's heating history, in local calendar days of the site's zone: a day, a
 * week (Monday to Sunday), a calendar month or a calendar year around an anchor day. Dates are
 * 'YYYY-MM-DD' strings; turning them into instants (local midnights) is the database's job, which
 * knows the zone's rules.
 */

export const HISTORY_RANGES = ["day", "week", "month", "year"] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

export type HistoryPeriod = {
  range: HistoryRange;
  /** First local day of the period. */
  startDate: string;
  /** The local day after the last one: the period is [startDate, endDate). */
  endDate: string;
  /** Anchors of the periods before and after (their first days). */
  previousAnchor: string;
  nextAnchor: string;
  /** A point an hour for a day or a week (24 or 168), a point a day for a month or a year (≤ 31, ≤ 366). */
  resolution: "hour" | "day";
  days: number;
};

const DAY_MS = 86_400_000;

/** The day a 'YYYY-MM-DD' string names (as UTC midnight), or null when it is no calendar day. */
export function parseDay(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (year < 1970 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return ms;
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The period of `range` holding the anchor day; null when the anchor is no calendar day. */
export function historyPeriod(range: HistoryRange, anchor: string): HistoryPeriod | null {
  const dayMs = parseDay(anchor);
  if (dayMs === null) return null;
  const d = new Date(dayMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  let start: number;
  let end: number;
  let previous: number;
  switch (range) {
    case "day":
      start = dayMs;
      end = dayMs + DAY_MS;
      previous = dayMs - DAY_MS;
      break;
    case "week":
      start = dayMs - ((d.getUTCDay() + 6) % 7) * DAY_MS; // back to Monday
      end = start + 7 * DAY_MS;
      previous = start - 7 * DAY_MS;
      break;
    case "month":
      start = Date.UTC(y, m, 1);
      end = Date.UTC(y, m + 1, 1);
      previous = Date.UTC(y, m - 1, 1);
      break;
    case "year":
      start = Date.UTC(y, 0, 1);
      end = Date.UTC(y + 1, 0, 1);
      previous = Date.UTC(y - 1, 0, 1);
      break;
  }
  return {
    range,
    startDate: formatDay(start),
    endDate: formatDay(end),
    previousAnchor: formatDay(previous),
    nextAnchor: formatDay(end),
    resolution: range === "day" || range === "week" ? "hour" : "day",
    days: Math.round((end - start) / DAY_MS),
  };
}

/**
 * The heating share of a period: the radiators' mean power over their full power, reading by
 * reading, Σ power ÷ Σ (readings × full power). A Qarnot radiator heats by running cores; at
 * half its power for an hour it gave the heat of full power for half an hour, so this is the
 * fraction of the period it would have heated flat out. Null without readings.
 */
export function heatingShare(powerSumW: number, fullPowerReadingSumW: number): number | null {
  if (!(fullPowerReadingSumW > 0)) return null;
  return Math.min(1, Math.max(0, powerSumW / fullPowerReadingSumW));
}
