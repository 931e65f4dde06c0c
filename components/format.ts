const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

export const formatInteger = (n: number) => integer.format(n);
export const formatOneDecimal = (n: number) => oneDecimal.format(n);

/** Watts as W or kW, whichever reads better. */
export function formatPowerW(powerW: number) {
  return powerW >= 10_000 ? `${oneDecimal.format(powerW / 1000)} kW` : `${integer.format(powerW)} W`;
}

/**
 * Times in one zone, the operator's, labelled ("4 Dec 2026, 16:17 CET"), the same whether the
 * server or the browser writes them (see server/domain/view-time.ts).
 */
export { countOf, formatCalendarDay, formatViewDate as formatDate, formatViewDateTime as formatDateTime, formatViewTime as formatTime } from "@/server/domain/view-time";
