/**
 * The monthly electricity refund: from a dwelling's meters to the lines of its statement. Pure:
 * the close (server/services/refunds.ts) reads the meters and writes what this computes.
 *
 * Energy is the platform's metered energy (telemetry_hourly.energy_wh: counter deltas, a counter
 * that restarted at 0 counting what it reached since, implausible deltas held apart as meter
 * anomalies). A delta belongs to the hour of the reading that closes it, so a period that starts
 * at a local midnight holds exactly the deltas closed in its hours. The meter start and end shown
 * on a line are the counter's readings at the period's edges.
 *
 * Rounding rule: each line's amount is energyWh × priceMicroEurosPerKWh / 10^7 cents, computed
 * exactly in integers and rounded once, half away from zero (0.5 cent up; a negative adjustment
 * mirrors a positive one). A statement's total is the sum of its rounded lines.
 */
import { zoneOffsetMs } from "./heating";

export const REFUND_LINE_KINDS = ["radiator", "gateway", "adjustment"] as const;
export type RefundLineKind = (typeof REFUND_LINE_KINDS)[number];

/** Anomalies the preview lists before a close. */
export const CLOSE_ANOMALY_KINDS = ["silent", "no-tariff", "meter-reset", "no-readings"] as const;
export type CloseAnomalyKind = (typeof CLOSE_ANOMALY_KINDS)[number];

/** A radiator that sent nothing over the month's last this many days is "silent" in the preview. */
export const SILENT_AFTER_DAYS = 3;

/** Closed months whose late energy the close looks for, before the month it closes. */
export const ADJUSTMENT_LOOKBACK_MONTHS = 12;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])-01$/;
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isMonth(value: string): boolean {
  return MONTH_RE.test(value);
}

/** A calendar date 'YYYY-MM-DD' that exists. */
export function isCalendarDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** The month holding a date: '2026-02-17' → '2026-02-01'. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the month `n` months after `month` (n may be negative). */
export function addMonths(month: string, n: number): string {
  // In whole months since year 0, without dates: the close asks this for every device.
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const year = Math.floor(total / 12);
  return `${String(year).padStart(4, "0")}-${String(total - year * 12 + 1).padStart(2, "0")}-01`;
}

const midnights = new Map<string, number>();

/** The instant of 00:00 on a local date in a zone (remembered: a close asks for the same few thousands of times). */
export function localMidnightMs(date: string, timeZone: string): number {
  const key = `${date}|${timeZone}`;
  let ms = midnights.get(key);
  if (ms === undefined) {
    const wallMs = Date.parse(`${date}T00:00:00Z`);
    // The offset at the instant itself: one guess from the wall time, then corrected once.
    const guess = wallMs - zoneOffsetMs(wallMs, timeZone);
    ms = wallMs - zoneOffsetMs(guess, timeZone);
    if (midnights.size > 10_000) midnights.clear();
    midnights.set(key, ms);
  }
  return ms;
}

/** The local date of an instant in a zone, 'YYYY-MM-DD'. */
export function localDate(atMs: number, timeZone: string): string {
  return new Date(atMs + zoneOffsetMs(atMs, timeZone)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Tariffs

export type TariffVersion = {
  id: number;
  country: string;
  option: string;
  label: string;
  effectiveFrom: string;
  priceMicroEurosPerKWh: number;
};

/** The version in force on a local date: the latest effectiveFrom on or before it; ties, the latest id. */
export function tariffInForce<T extends TariffVersion>(versions: readonly T[], country: string, option: string, date: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.country !== country || v.option !== option || v.effectiveFrom > date) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.id > best.id)) best = v;
  }
  return best;
}

/** A part of a month under one tariff version: local dates, `toDate` exclusive. */
export type TariffPeriod<T extends TariffVersion = TariffVersion> = { fromDate: string; toDate: string; tariff: T };

/**
 * The month cut at each change of the tariff of a country and option (at 00:00 local). Null when
 * some day of the month has no tariff: such a dwelling gets no statement (an anomaly instead).
 */
export function tariffPeriods<T extends TariffVersion>(versions: readonly T[], country: string, option: string, month: string): TariffPeriod<T>[] | null {
  const end = addMonths(month, 1);
  const first = tariffInForce(versions, country, option, month);
  if (!first) return null;
  const periods: TariffPeriod<T>[] = [{ fromDate: month, toDate: end, tariff: first }];
  const changes = [...new Set(versions.filter((v) => v.country === country && v.option === option && v.effectiveFrom > month && v.effectiveFrom < end).map((v) => v.effectiveFrom))].sort();
  for (const date of changes) {
    const tariff = tariffInForce(versions, country, option, date)!;
    const last = periods[periods.length - 1]!;
    if (tariff.id === last.tariff.id) continue;
    last.toDate = date;
    periods.push({ fromDate: date, toDate: end, tariff });
  }
  return periods;
}

// ---------------------------------------------------------------------------------------------
// Money

const TEN_MILLION = BigInt(10_000_000);

/**
 * A line's amount in cents: energyWh × priceMicroEurosPerKWh / 10^7 (Wh → kWh is /10^3,
 * micro-euros → cents is /10^4), exact in BigInt and rounded once, half away from zero.
 */
export function lineAmountCents(energyWh: number, priceMicroEurosPerKWh: number): number {
  if (!Number.isSafeInteger(energyWh)) throw new RangeError(`energyWh must be an integer: ${energyWh}`);
  if (!Number.isSafeInteger(priceMicroEurosPerKWh) || priceMicroEurosPerKWh <= 0) {
    throw new RangeError(`priceMicroEurosPerKWh must be a positive integer: ${priceMicroEurosPerKWh}`);
  }
  const product = BigInt(Math.abs(energyWh)) * BigInt(priceMicroEurosPerKWh);
  const rounded = (product * BigInt(2) + TEN_MILLION) / (TEN_MILLION * BigInt(2));
  return Number(energyWh < 0 ? -rounded : rounded);
}

// ---------------------------------------------------------------------------------------------
// Meters to lines

/**
 * A device's metered hours summed over a part of the month that starts at a local date (the close
 * cuts its hours at every tariff change of any country and at month starts, then merges them here).
 */
export type MeterSegment = {
  fromDate: string;
  energyWh: number;
  readingCount: number;
  /** The counter at the segment's first and last reading (null: no reading). */
  firstCounterWh: number | null;
  lastCounterWh: number | null;
  /** Times the counter restarted at 0 within the segment. */
  restarts: number;
};

export type MeteredDevice = {
  kind: "radiator" | "gateway";
  id: string;
  serial: string;
  roomName: string | null;
  /** The counter's last reading before the range the segments cover; null: none known. */
  counterBeforeWh: number | null;
  /** In date order. */
  segments: readonly MeterSegment[];
};

export type StatementLine = {
  kind: RefundLineKind;
  radiatorId: string | null;
  gatewayId: string | null;
  deviceSerial: string;
  roomName: string | null;
  energyMonth: string;
  periodStartMs: number;
  periodEndMs: number;
  meterStartWh: number | null;
  meterEndWh: number | null;
  energyWh: number;
  tariffVersionId: number;
  priceMicroEurosPerKWh: number;
  amountCents: number;
};

/**
 * A device's lines for a month, one per tariff period in which it read its meter or metered
 * energy. The meter carries over from period to period: a period's start is the counter at the
 * end of what came before (the last reading before the month, else the first reading in it).
 * Segments outside the month are ignored, except that they move the meter on.
 */
export function deviceLines(device: MeteredDevice, month: string, periods: readonly TariffPeriod[], timeZone: string): StatementLine[] {
  const lines: StatementLine[] = [];
  let counter = device.counterBeforeWh;
  const monthEnd = addMonths(month, 1);
  let i = 0;
  const segments = device.segments;
  while (i < segments.length && segments[i]!.fromDate < month) {
    counter = segments[i]!.lastCounterWh ?? counter;
    i++;
  }
  for (const period of periods) {
    let energyWh = 0;
    let readings = 0;
    let start = counter;
    for (; i < segments.length && segments[i]!.fromDate < period.toDate && segments[i]!.fromDate < monthEnd; i++) {
      const s = segments[i]!;
      energyWh += s.energyWh;
      readings += s.readingCount;
      start ??= s.firstCounterWh;
      counter = s.lastCounterWh ?? counter ?? s.firstCounterWh;
    }
    if (readings === 0 && energyWh === 0) continue;
    const price = period.tariff.priceMicroEurosPerKWh;
    lines.push({
      // Fields written out rather than spread from a helper: a close builds one per radiator and period.
      kind: device.kind,
      radiatorId: device.kind === "radiator" ? device.id : null,
      gatewayId: device.kind === "gateway" ? device.id : null,
      deviceSerial: device.serial,
      roomName: device.roomName,
      energyMonth: month,
      periodStartMs: localMidnightMs(period.fromDate, timeZone),
      periodEndMs: localMidnightMs(period.toDate, timeZone),
      meterStartWh: start,
      meterEndWh: counter ?? start,
      energyWh,
      tariffVersionId: period.tariff.id,
      priceMicroEurosPerKWh: price,
      amountCents: lineAmountCents(energyWh, price),
    });
  }
  return lines;
}

/** What earlier statements already said: energy per device, month and tariff version. */
export type StatedEnergy = { deviceId: string; energyMonth: string; tariffVersionId: number; energyWh: number };

/**
 * Adjustment lines: for each earlier closed month, the energy its lines would hold now (`recomputed`,
 * deviceLines over today's meters) minus what statements already stated for the same device,
 * month and tariff version. Energy metered after a close (a gateway that was offline) thus goes
 * on the next statement, priced as it would have been, and is never counted twice.
 */
export function adjustmentLines(recomputed: readonly StatementLine[], stated: readonly StatedEnergy[]): StatementLine[] {
  const key = (deviceId: string, month: string, version: number) => `${deviceId}|${month}|${version}`;
  const already = new Map<string, number>();
  for (const s of stated) {
    const k = key(s.deviceId, s.energyMonth, s.tariffVersionId);
    already.set(k, (already.get(k) ?? 0) + s.energyWh);
  }
  const lines: StatementLine[] = [];
  for (const line of recomputed) {
    const deviceId = line.radiatorId ?? line.gatewayId!;
    const energyWh = line.energyWh - (already.get(key(deviceId, line.energyMonth, line.tariffVersionId)) ?? 0);
    if (energyWh === 0) continue;
    lines.push({
      ...line,
      kind: "adjustment",
      meterStartWh: null,
      meterEndWh: null,
      energyWh,
      amountCents: lineAmountCents(energyWh, line.priceMicroEurosPerKWh),
    });
  }
  return lines;
}

/**
 * A statement's lines in their order (radiators by room and serial, then the gateway, then
 * adjustments by month and serial, each by period) and its totals, the sums of the lines.
 */
export function assembleStatement(lines: readonly StatementLine[]): { lines: StatementLine[]; energyWh: number; amountCents: number } {
  const rank = (l: StatementLine) => REFUND_LINE_KINDS.indexOf(l.kind);
  const text = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);
  const sorted = [...lines].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      text(a.energyMonth, b.energyMonth) ||
      text(a.roomName, b.roomName) ||
      text(a.deviceSerial, b.deviceSerial) ||
      a.periodStartMs - b.periodStartMs,
  );
  return {
    lines: sorted,
    energyWh: sorted.reduce((sum, l) => sum + l.energyWh, 0),
    amountCents: sorted.reduce((sum, l) => sum + l.amountCents, 0),
  };
}

/** Whether a device's month needs a look before the close: no reading at all, silent at the end, a counter restart. */
export function deviceAnomalies(device: MeteredDevice, month: string, lastReadingMs: number | null, timeZone: string): Array<{ kind: CloseAnomalyKind; detail: string }> {
  const next = addMonths(month, 1);
  const inMonth = device.segments.filter((s) => s.fromDate >= month && s.fromDate < next);
  const found: Array<{ kind: CloseAnomalyKind; detail: string }> = [];
  if (lastReadingMs === null || inMonth.every((s) => s.readingCount === 0)) {
    found.push({ kind: "no-readings", detail: "no reading this month" });
    return found;
  }
  const endMs = localMidnightMs(next, timeZone);
  const silentMs = endMs - lastReadingMs;
  if (silentMs > SILENT_AFTER_DAYS * 86_400_000) {
    found.push({ kind: "silent", detail: `silent for ${Math.floor(silentMs / 86_400_000)} days before the month's end` });
  }
  const restarts = inMonth.reduce((sum, s) => sum + s.restarts, 0);
  if (restarts > 0) found.push({ kind: "meter-reset", detail: `counter restarted at 0 ${restarts} time(s)` });
  return found;
}
