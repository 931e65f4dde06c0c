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

/** Where the energy a reading closes goes: all of it to `hourStartMs`, shared between attempts and idle. */
export type ReadingEnergy = {
  hourStartMs: number;
  deltaWh: number;
  allocations: ReadonlyArray<EnergySplit["allocations"][number]>;
  idleWh: number;
  idleCoreSeconds: number;
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
 * Called for ~1,000 readings a report: with no attempt in the interval (most of the time) it
 * allocates nothing but its answer.
 */
export function meterReading(
  previous: { atMs: number; energyCounterWh: number },
  reading: MeterReading,
  activities: ReadonlyArray<MeteredActivity>,
): ReadingEnergy {
  const deltaWh = energyDeltaWh(previous.energyCounterWh, reading.energyCounterWh);
  const hour = hourStartMs(reading.atMs);
  const radiatorCoreSeconds = Math.floor((reading.coresActive * (reading.atMs - previous.atMs)) / 1000);
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
  if (shares === null) return { hourStartMs: hour, deltaWh, allocations: NO_ALLOCATIONS, idleWh: deltaWh, idleCoreSeconds: radiatorCoreSeconds };
  const split = splitEnergyWh(deltaWh, shares, radiatorCoreSeconds);
  return { hourStartMs: hour, deltaWh, allocations: split.allocations, idleWh: split.idleWh, idleCoreSeconds: split.idleCoreSeconds };
}

/** Why a counter delta was held apart instead of metered; the database enum holds the same values. */
export const METER_ANOMALY_REASONS = ["exceeds_hardware_power"] as const;
export type MeterAnomalyReason = (typeof METER_ANOMALY_REASONS)[number];
