import { formatDay, HISTORY_RANGES, parseDay, type HistoryRange } from "./history-period";

/**
 * How a room's history is drawn for residents: which points, bands and bars a chart gets. Pure and
 * client-safe. Times on the charts' axis are instants (ms); what people read (ticks, tooltips,
 * table rows) comes from the points' labels, which are already wall times of the site's zone, so
 * they are formatted as UTC wall times and show the site's clock whatever the browser's zone.
 */

/** What the charts need of a point of RoomHistory (server/services/history.ts). */
export type ViewPoint = {
  startMs: number;
  endMs: number;
  label: string;
  roomTempC: number | null;
  targetTempC: number | null;
  outdoorTempC: number | null;
  heatingShare: number | null;
  energyWh: number;
};

/** A row of the temperature chart: drawn at the middle of its period, since its figures are the period's means. */
export type TemperatureRow = {
  x: number;
  /** The period's label; null for the two edge rows, which only carry the target to the period's ends. */
  label: string | null;
  roomTempC: number | null;
  targetTempC: number | null;
  outdoorTempC: number | null;
  heatingShare: number | null;
};

/** A shaded band: the whole of a period [x1, x2) the radiator heated in, darker the more it heated. */
export type HeatBand = { x1: number; x2: number; opacity: number };

/** A bar of energy: `key` is a local hour ('YYYY-MM-DDTHH:mm'), day ('YYYY-MM-DD') or month ('YYYY-MM'). */
export type EnergyBar = { key: string; energyWh: number };

export function isHistoryRange(value: unknown): value is HistoryRange {
  return typeof value === "string" && (HISTORY_RANGES as readonly string[]).includes(value);
}

/** The local day of an instant in a zone, 'YYYY-MM-DD'. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The anchor a page shows: the one asked for when it is a calendar day, else today. */
export function anchorOrToday(asked: unknown, today: string): string {
  return typeof asked === "string" && parseDay(asked) !== null ? asked : today;
}

/** The next period can be opened only once it has begun: no empty charts of the future. */
export function hasBegun(anchor: string, today: string): boolean {
  return anchor <= today;
}

/** The last day of a period [startDate, endDate). */
export function lastDayOf(endDate: string): string {
  return formatDay(parseDay(endDate)! - 86_400_000);
}

/** A local label ('YYYY', 'YYYY-MM', 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm') as a Date to format in UTC. */
export function wallTime(label: string): Date {
  const [y, m = 1, d = 1, h = 0, min = 0] = label.split(/[-T:]/).map(Number) as [number, ...number[]];
  return new Date(Date.UTC(y, m - 1, d, h, min));
}

/**
 * The temperature chart's rows: one a period at its middle, and an edge row at each end of the
 * range holding the nearest target, so the stepped target line spans the whole range.
 */
export function temperatureRows(points: ViewPoint[]): TemperatureRow[] {
  if (points.length === 0) return [];
  const rows: TemperatureRow[] = points.map((p) => ({
    x: (p.startMs + p.endMs) / 2,
    label: p.label,
    roomTempC: p.roomTempC,
    targetTempC: p.targetTempC,
    outdoorTempC: p.outdoorTempC,
    heatingShare: p.heatingShare,
  }));
  const edge = (x: number, targetTempC: number | null): TemperatureRow => ({
    x,
    label: null,
    roomTempC: null,
    targetTempC,
    outdoorTempC: null,
    heatingShare: null,
  });
  return [edge(points[0]!.startMs, points[0]!.targetTempC), ...rows, edge(points.at(-1)!.endMs, points.at(-1)!.targetTempC)];
}

/** Below this share a period counts as not heating: a radiator idling draws a few watts. */
export const HEAT_SHADE_MIN_SHARE = 0.02;

/**
 * Bands over the periods the radiator heated: each band covers its period exactly (start to end,
 * not centred on a point), with an opacity that grows with the heating share, from faint (a
 * little) to strong (flat out the whole period).
 */
export function heatBands(points: ViewPoint[]): HeatBand[] {
  return points
    .filter((p) => p.heatingShare !== null && p.heatingShare >= HEAT_SHADE_MIN_SHARE)
    .map((p) => ({ x1: p.startMs, x2: p.endMs, opacity: Math.round((0.12 + 0.5 * p.heatingShare!) * 100) / 100 }));
}

/**
 * The axis ticks (instants of period starts), more than fit: the chart drops those that would
 * overlap. A day every three hours, a week every midnight, a month every week from the 1st, a
 * year every month.
 */
export function axisTicks(range: HistoryRange, points: ViewPoint[]): number[] {
  const keep = (label: string): boolean => {
    switch (range) {
      case "day":
        return Number(label.slice(11, 13)) % 3 === 0 && label.endsWith(":00");
      case "week":
        return label.endsWith("T00:00");
      case "month":
        return (Number(label.slice(8, 10)) - 1) % 7 === 0;
      case "year":
        return label.endsWith("-01");
    }
  };
  return points.filter((p) => keep(p.label)).map((p) => p.startMs);
}

/**
 * The energy bars of a range: by hour for a day (one bar would say nothing), by day for a week or
 * a month, by month for a year (365 bars are thinner than a pixel on a phone).
 */
export function energyBars(range: HistoryRange, points: ViewPoint[], energyByDay: ReadonlyArray<{ day: string; energyWh: number }>): EnergyBar[] {
  if (range === "day") return points.map((p) => ({ key: p.label, energyWh: p.energyWh }));
  if (range !== "year") return energyByDay.map((d) => ({ key: d.day, energyWh: d.energyWh }));
  const byMonth = new Map<string, number>();
  for (const d of energyByDay) byMonth.set(d.day.slice(0, 7), (byMonth.get(d.day.slice(0, 7)) ?? 0) + d.energyWh);
  return [...byMonth].map(([key, energyWh]) => ({ key, energyWh }));
}

/** Whether a period has anything to show in a table: readings or an outdoor observation. */
export function hasFigures(p: ViewPoint): boolean {
  return p.roomTempC !== null || p.targetTempC !== null || p.outdoorTempC !== null || p.energyWh > 0;
}
