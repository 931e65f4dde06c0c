/**
 * The months of raw telemetry: telemetry_readings is partitioned by UTC month, one partition
 * telemetry_readings_YYYYMM per month, kept a number of days and then dropped a month at a time.
 */

const DAY_MS = 86_400_000;

export const TELEMETRY_PARTITION_PREFIX = "telemetry_readings_";
/** Raw readings are kept this many days unless HEARTH_RAW_RETENTION_DAYS says otherwise. */
export const DEFAULT_RAW_RETENTION_DAYS = 60;

/** Start of the UTC month holding `atMs`. */
export function monthStartMs(atMs: number): number {
  const d = new Date(atMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the UTC month after the one starting at `monthMs`. */
export function nextMonthMs(monthMs: number): number {
  const d = new Date(monthMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function partitionName(monthMs: number): string {
  const d = new Date(monthMs);
  return `${TELEMETRY_PARTITION_PREFIX}${String(d.getUTCFullYear()).padStart(4, "0")}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month a partition's name stands for, or null for any other table. */
export function partitionMonthMs(name: string): number | null {
  const match = /^telemetry_readings_(\d{4})(\d{2})$/.exec(name);
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return Date.UTC(Number(match[1]), month - 1, 1);
}

/** A month may be dropped once all of it is older than the retention: its end at or before now − retention. */
export function isMonthExpired(monthMs: number, nowMs: number, retentionDays: number): boolean {
  return nextMonthMs(monthMs) <= nowMs - retentionDays * DAY_MS;
}

/** HEARTH_RAW_RETENTION_DAYS as a whole number of days (at least 1); the default when unset. */
export function rawRetentionDays(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_RAW_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new RangeError(`HEARTH_RAW_RETENTION_DAYS must be a whole number of days, at least 1; got ${JSON.stringify(value)}`);
  }
  return days;
}
