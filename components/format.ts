const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

export const formatInteger = (n: number) => integer.format(n);
export const formatOneDecimal = (n: number) => oneDecimal.format(n);

/** Watts as W or kW, whichever reads better. */
export function formatPowerW(powerW: number) {
  return powerW >= 10_000 ? `${oneDecimal.format(powerW / 1000)} kW` : `${integer.format(powerW)} W`;
}

export function formatDate(date: Date, timeZone = "Europe/Paris") {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone }).format(date);
}

export function formatDateTime(date: Date, timeZone = "Europe/Paris") {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}
