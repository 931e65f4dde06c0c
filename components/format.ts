const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

export const formatInteger = (n: number) => integer.format(n);
export const formatOneDecimal = (n: number) => oneDecimal.format(n);

/** Watts as W or kW, whichever reads better. */
export function formatPowerW(powerW: number) {
  return powerW >= 10_000 ? `${oneDecimal.format(powerW / 1000)} kW` : `${integer.format(powerW)} W`;
}

/**
 * Times in one named zone, labelled ("4 Dec 2026, 16:17 CET"), the same whether the server or the
 * browser writes them: the operator's unless the page passes its viewer's (see
 * server/domain/view-time.ts).
 */
export { countOf, formatCalendarDay, formatViewDate as formatDate, formatViewDateTime as formatDateTime, formatViewTime as formatTime } from "@/server/domain/view-time";

/** A duration in seconds as people read it: "42 s", "12 min 05 s", "3 h 05 min", "2 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const kWh = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 3 });

/** Integer watt-hours as kilowatt-hours: "1,234.5 kWh". */
export const formatKWhFromWh = (wh: number) => `${kWh.format(wh / 1000)} kWh`;
