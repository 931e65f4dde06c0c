/**
 * Metering: a radiator reports a cumulative energy counter; each delta is shared between the
 * attempts it ran, by core-seconds, and idle heating. Customers are billed and residents refunded
 * from these figures, so every Wh of a delta is accounted for exactly once, in integers.
 */

function assertWhole(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer: ${value}`);
}

/**
 * Energy since the previous reading of a monotonic counter. The first reading (no previous)
 * counts 0: we do not know when the counter started. A counter lower than before was reset
 * (radiators keep no state across a power loss), so its whole value is energy since the reset;
 * what was used between the last reading and the reset is lost, never made negative.
 */
export function energyDeltaWh(previousCounterWh: number | null, counterWh: number): number {
  assertWhole("counterWh", counterWh);
  if (previousCounterWh === null) return 0;
  assertWhole("previousCounterWh", previousCounterWh);
  return counterWh >= previousCounterWh ? counterWh - previousCounterWh : counterWh;
}

/**
 * Core-seconds an activity spent inside a period, rounded down to whole core-seconds.
 * `to: null` means still running: it counts up to the end of the period.
 */
export function coreSecondsInPeriod(
  activity: { from: Date; to: Date | null; cores: number },
  period: { start: Date; end: Date },
): number {
  assertWhole("cores", activity.cores);
  const startMs = Math.max(activity.from.getTime(), period.start.getTime());
  const endMs = Math.min(activity.to === null ? Infinity : activity.to.getTime(), period.end.getTime());
  if (!(endMs > startMs)) return 0;
  return Math.floor(((endMs - startMs) * activity.cores) / 1000);
}

export type EnergySplit = {
  allocations: Array<{ attemptId: number; coreSeconds: number; energyWh: number }>;
  idleWh: number;
  idleCoreSeconds: number;
};

/**
 * Shares a radiator's energy delta by core-seconds. The denominator is the larger of the
 * radiator's own core-seconds (every core it ran, heating-only cores included) and the attempts'
 * total, so attempts never get more than the whole delta even if reports disagree. What the
 * attempts do not take is idle (heating-only) energy.
 *
 * Integer Wh by largest remainder: everyone (idle included) gets the floor of the exact share,
 * then the Wh left over go one each to the largest fractional parts; ties go to the lower
 * attemptId, idle last. So the parts sum to `deltaWh` exactly and each is within 1 Wh of its
 * exact share. Allocations come back in the input order.
 */
export function splitEnergyWh(
  deltaWh: number,
  attempts: ReadonlyArray<{ attemptId: number; coreSeconds: number }>,
  radiatorCoreSeconds: number,
): EnergySplit {
  assertWhole("deltaWh", deltaWh);
  assertWhole("radiatorCoreSeconds", radiatorCoreSeconds);
  const seen = new Set<number>();
  for (const a of attempts) {
    assertWhole(`coreSeconds of attempt ${a.attemptId}`, a.coreSeconds);
    if (seen.has(a.attemptId)) throw new RangeError(`Attempt ${a.attemptId} is listed twice`);
    seen.add(a.attemptId);
  }

  const attemptCoreSeconds = attempts.reduce((sum, a) => sum + a.coreSeconds, 0);
  const denominator = Math.max(radiatorCoreSeconds, attemptCoreSeconds);
  const idleCoreSeconds = denominator - attemptCoreSeconds;
  if (denominator === 0) {
    // No core ran: whatever the meter saw (the board, fans) is heating-only.
    return {
      allocations: attempts.map((a) => ({ attemptId: a.attemptId, coreSeconds: a.coreSeconds, energyWh: 0 })),
      idleWh: deltaWh,
      idleCoreSeconds: 0,
    };
  }

  // Exact shares as quotient and remainder over the denominator; BigInt so the products of
  // large deltas and core-seconds stay exact.
  const D = BigInt(denominator);
  const delta = BigInt(deltaWh);
  type Part = { key: number; isIdle: boolean; floor: number; remainder: bigint };
  const share = (coreSeconds: number) => {
    const exact = delta * BigInt(coreSeconds);
    return { floor: Number(exact / D), remainder: exact % D };
  };
  const parts: Part[] = attempts.map((a) => ({ key: a.attemptId, isIdle: false, ...share(a.coreSeconds) }));
  parts.push({ key: 0, isIdle: true, ...share(idleCoreSeconds) });

  let leftoverWh = deltaWh - parts.reduce((sum, p) => sum + p.floor, 0);
  const byRemainder = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    if (a.isIdle !== b.isIdle) return a.isIdle ? 1 : -1;
    return a.key - b.key;
  });
  // Leftover < number of parts with a non-zero remainder, so only those get one more Wh.
  const extra = new Set<Part>();
  for (const p of byRemainder) {
    if (leftoverWh === 0) break;
    extra.add(p);
    leftoverWh--;
  }
  const whOf = (p: Part) => p.floor + (extra.has(p) ? 1 : 0);

  const idle = parts[parts.length - 1]!;
  return {
    allocations: attempts.map((a, i) => ({ attemptId: a.attemptId, coreSeconds: a.coreSeconds, energyWh: whOf(parts[i]!) })),
    idleWh: whOf(idle),
    idleCoreSeconds,
  };
}

export const HOUR_MS = 3_600_000;

/** The start of the UTC hour holding `atMs`: the hour a reading, and the energy it closes, count in. */
export function hourStartMs(atMs: number): number {
  return Math.floor(atMs / HOUR_MS) * HOUR_MS;
}

/** A reading of a radiator's meter, as far as metering needs it. */
export type MeterReading = { atMs: number; energyCounterWh: number; coresActive: number };
/** An attempt's run on the radiator (`to: null` while it runs), as in coreSecondsInPeriod. */
export type MeteredActivity = { id: number; from: Date; to: Date | null; cores: number };

/**
 * The hardware limit on a delta: a radiator cannot draw more than its model's maximum power, so
 * over `elapsedMs` its meter can count at most maxPowerW × elapsed. Plausible is that times
 * PLAUSIBLE_POWER_MARGIN (meters and clocks are not exact; a short overload is allowed), plus
 * PLAUSIBLE_SLACK_WH for the whole-Wh counters (1 Wh: the counter rounds down at each end) and
 * this floor (1 Wh). Anything above is a meter that lies: a fault, a swapped board, a forgery.
 */
export const PLAUSIBLE_POWER_MARGIN = 1.5;
export const PLAUSIBLE_SLACK_WH = 2;

/** The most energy a radiator of `maxPowerW` may plausibly meter in `elapsedMs` (see PLAUSIBLE_POWER_MARGIN). */
export function plausibleDeltaWh(maxPowerW: number, elapsedMs: number): number {
  assertWhole("maxPowerW", maxPowerW);
  if (!(elapsedMs >= 0 && elapsedMs < Infinity)) throw new RangeError(`elapsedMs must be a non-negative number: ${elapsedMs}`);
  // W × ms × 1.5 / 3,600,000 = W × ms × 3 / 7,200,000, in one division.
  return Math.floor((maxPowerW * elapsedMs * 3) / 7_200_000) + PLAUSIBLE_SLACK_WH;
}

/** Why a delta was held apart instead of metered; the database enum holds the same values. */
export const METER_ANOMALY_REASONS = ["exceeds_hardware_power"] as const;
export type MeterAnomalyReason = (typeof METER_ANOMALY_REASONS)[number];

/** Where the energy a reading closes goes: all of it to `hourStartMs`, shared between attempts and idle. */
export type ReadingEnergy = {
  hourStartMs: number;
  /** The energy metered: the counter delta, or 0 when the delta is held apart as an anomaly. */
  deltaWh: number;
  allocations: ReadonlyArray<EnergySplit["allocations"][number]>;
  idleWh: number;
  idleCoreSeconds: number;
  /**
   * Set when the counter delta is more than the hardware can draw in the interval: that delta is
   * held apart (neither billed nor refunded until staff resolve it) and nothing of it is metered;
   * the core-seconds of the interval still count, since the work and the cores did run.
   */
  anomaly: { reason: MeterAnomalyReason; counterDeltaWh: number; plausibleWh: number } | null;
};

const NO_ALLOCATIONS: ReadingEnergy["allocations"] = Object.freeze([]);

/**
 * Meters one reading against the previous one of the same radiator (its last accounted reading):
 * the counter delta between them goes whole to the hour of the closing reading (hourly rollups
 * and the ledger both split at those hours), shared by core-seconds between the attempts that ran
 * in between and idle heat, the radiator's own core-seconds (the reading's active cores over the
 * interval) counting in the denominator. `activities` may hold attempts that did not run in the
 * interval: they get nothing and are left out. The result is what telemetry_hourly (energyWh,
 * idleEnergyWh, idleCoreSeconds) and the ledger (allocations) add up, so a radiator's ledger
 * plus its idle energy is its meter.
 *
 * A delta above plausibleDeltaWh(maxPowerW, interval) is not metered: the reading comes back
 * with `anomaly` set, 0 Wh everywhere, and the interval's core-seconds shared as usual.
 *
 * Called for ~1,000 readings a report: with no attempt in the interval (most of the time) it
 * allocates nothing but its answer.
 */
export function meterReading(
  previous: { atMs: number; energyCounterWh: number },
  reading: MeterReading,
  activities: ReadonlyArray<MeteredActivity>,
  maxPowerW: number,
): ReadingEnergy {
  const counterDeltaWh = energyDeltaWh(previous.energyCounterWh, reading.energyCounterWh);
  const elapsedMs = reading.atMs - previous.atMs;
  const plausibleWh = plausibleDeltaWh(maxPowerW, elapsedMs);
  const anomaly = counterDeltaWh > plausibleWh ? { reason: "exceeds_hardware_power" as const, counterDeltaWh, plausibleWh } : null;
  const deltaWh = anomaly === null ? counterDeltaWh : 0;
  const hour = hourStartMs(reading.atMs);
  const radiatorCoreSeconds = Math.floor((reading.coresActive * elapsedMs) / 1000);
  let shares: Array<{ attemptId: number; coreSeconds: number }> | null = null;
  if (activities.length > 0) {
    const period = { start: new Date(previous.atMs), end: new Date(reading.atMs) };
    for (const a of activities) {
      const coreSeconds = coreSecondsInPeriod(a, period);
      if (coreSeconds > 0) (shares ??= []).push({ attemptId: a.id, coreSeconds });
    }
  }
  // No attempt ran: the whole delta is idle heat (what splitEnergyWh answers too), without its
  // exact integer apportionment.
  if (shares === null) {
    return { hourStartMs: hour, deltaWh, allocations: NO_ALLOCATIONS, idleWh: deltaWh, idleCoreSeconds: radiatorCoreSeconds, anomaly };
  }
  const split = splitEnergyWh(deltaWh, shares, radiatorCoreSeconds);
  return { hourStartMs: hour, deltaWh, allocations: split.allocations, idleWh: split.idleWh, idleCoreSeconds: split.idleCoreSeconds, anomaly };
}

// ---------------------------------------------------------------------------------------------
// Which readings count at all

/** The instants the platform can store (PostgreSQL has no year 0; ISO 8601 times have four-digit years). */
export const STORABLE_TIME_RANGE_MS = { min: Date.parse("0001-01-01T00:00:00Z"), max: Date.parse("9999-12-31T23:59:59.999Z") } as const;
/** The earliest zone is UTC+14: the installation day begins there 14 hours before it does in UTC. */
const EARLIEST_ZONE_OFFSET_MS = 14 * HOUR_MS;

/** Why a reading is refused (the protocol sends these codes to the gateway). */
export const READING_REFUSAL_REASONS = ["invalid_time", "before_installation", "ahead_of_clock"] as const;
export type ReadingRefusalReason = (typeof READING_REFUSAL_REASONS)[number];

/**
 * The first instant a radiator installed on `installedOn` (a date, YYYY-MM-DD, in its site's
 * zone) can have read its meter: the start of that day in the earliest zone on Earth, so the
 * rule needs no zone and refuses nothing taken on the installation day.
 */
export function earliestReadingMs(installedOn: string): number {
  const dayStartMs = Date.parse(`${installedOn}T00:00:00Z`);
  if (Number.isNaN(dayStartMs)) throw new RangeError(`installedOn must be a date (YYYY-MM-DD): ${installedOn}`);
  return dayStartMs - EARLIEST_ZONE_OFFSET_MS;
}

/**
 * Whether a reading taken at `atMs` is refused, and why: a time that cannot be stored, one before
 * the radiator could have read anything (`earliestMs`, see earliestReadingMs), or one ahead of the
 * server's clock by more than the gateway's may drift (`latestMs`). A reading outside that window
 * would bill, refund or freeze a meter on a date that never happened. Null: it counts.
 */
export function readingRefusal(atMs: number, window: { earliestMs: number; latestMs: number }): ReadingRefusalReason | null {
  if (!(atMs >= STORABLE_TIME_RANGE_MS.min && atMs <= STORABLE_TIME_RANGE_MS.max)) return "invalid_time";
  if (atMs < window.earliestMs) return "before_installation";
  if (atMs > window.latestMs) return "ahead_of_clock";
  return null;
}
