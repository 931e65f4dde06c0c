import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  coreSecondsInPeriod,
  earliestReadingMs,
  energyDeltaWh,
  hourStartMs,
  meterReading,
  PLAUSIBLE_POWER_MARGIN,
  PLAUSIBLE_SLACK_WH,
  plausibleDeltaWh,
  readingRefusal,
  splitEnergyWh,
} from "./metering";

describe("energyDeltaWh", () => {
  it("counts 0 for the first reading", () => {
    expect(energyDeltaWh(null, 12_345)).toBe(0);
  });

  it("takes the difference of a counter that went up or stayed", () => {
    expect(energyDeltaWh(1000, 1250)).toBe(250);
    expect(energyDeltaWh(1000, 1000)).toBe(0);
  });

  it("counts the whole counter after a reset", () => {
    expect(energyDeltaWh(1000, 40)).toBe(40);
    expect(energyDeltaWh(1000, 0)).toBe(0);
  });

  it("refuses negative or fractional counters", () => {
    expect(() => energyDeltaWh(null, -1)).toThrow(RangeError);
    expect(() => energyDeltaWh(-1, 5)).toThrow(RangeError);
    expect(() => energyDeltaWh(1, 2.5)).toThrow(RangeError);
  });

  it("property: never negative", () => {
    fc.assert(
      fc.property(fc.option(fc.nat(), { nil: null }), fc.nat(), (prev, counter) => {
        expect(energyDeltaWh(prev, counter)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("property: deltas over readings with resets to 0 sum to the energy consumed", () => {
    // Each step consumes `wh` and may first reset the counter to 0. A reset is only detectable
    // when the next reading is below the last one, so a reset step consumes less than the
    // counter held (a reset from 0 is no reset at all).
    const steps = fc.array(fc.record({ reset: fc.boolean(), wh: fc.nat({ max: 5000 }) }), { maxLength: 50 });
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), steps, (initialCounterWh, ss) => {
        let counter = initialCounterWh;
        let previous: number | null = null;
        let metered = energyDeltaWh(previous, counter);
        previous = counter;
        let consumed = 0;
        for (const { reset, wh } of ss) {
          if (reset && counter > 0) {
            const used = wh % counter;
            counter = used;
            consumed += used;
          } else {
            counter += wh;
            consumed += wh;
          }
          const delta = energyDeltaWh(previous, counter);
          expect(delta).toBeGreaterThanOrEqual(0);
          metered += delta;
          previous = counter;
        }
        expect(metered).toBe(consumed);
      }),
    );
  });
});

describe("coreSecondsInPeriod", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 15, 12, 0, 0) + s * 1000);
  const period = { start: t(0), end: t(3600) };

  it("counts the overlap times the cores", () => {
    expect(coreSecondsInPeriod({ from: t(600), to: t(1200), cores: 4 }, period)).toBe(2400);
    expect(coreSecondsInPeriod({ from: t(-600), to: t(600), cores: 2 }, period)).toBe(1200);
    expect(coreSecondsInPeriod({ from: t(-600), to: t(9000), cores: 1 }, period)).toBe(3600);
  });

  it("counts a running activity (to: null) up to the end of the period", () => {
    expect(coreSecondsInPeriod({ from: t(3000), to: null, cores: 3 }, period)).toBe(1800);
  });

  it("counts 0 outside the period or with no cores", () => {
    expect(coreSecondsInPeriod({ from: t(3600), to: null, cores: 3 }, period)).toBe(0);
    expect(coreSecondsInPeriod({ from: t(-100), to: t(0), cores: 3 }, period)).toBe(0);
    expect(coreSecondsInPeriod({ from: t(10), to: t(5), cores: 3 }, period)).toBe(0);
    expect(coreSecondsInPeriod({ from: t(0), to: t(100), cores: 0 }, period)).toBe(0);
  });

  it("rounds down to whole core-seconds", () => {
    const from = new Date(t(0).getTime() + 500);
    expect(coreSecondsInPeriod({ from, to: t(10), cores: 1 }, period)).toBe(9);
    expect(coreSecondsInPeriod({ from, to: t(10), cores: 3 }, period)).toBe(28); // 28.5
  });

  it("property: two adjacent periods count the whole, less at most 1 core-second of rounding", () => {
    const ms = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(ms, ms, fc.option(ms, { nil: null }), ms, ms, fc.nat({ max: 64 }), (a, b, to, p, q, cores) => {
        const [start, mid] = [Math.min(p, q), Math.max(p, q)];
        const end = mid + 1_000_000;
        const activity = { from: new Date(Math.min(a, b)), to: to === null ? null : new Date(to), cores };
        const whole = coreSecondsInPeriod(activity, { start: new Date(start), end: new Date(end) });
        const first = coreSecondsInPeriod(activity, { start: new Date(start), end: new Date(mid) });
        const second = coreSecondsInPeriod(activity, { start: new Date(mid), end: new Date(end) });
        expect(first + second).toBeLessThanOrEqual(whole);
        expect(first + second).toBeGreaterThanOrEqual(whole - 1);
        expect(whole).toBeLessThanOrEqual(Math.floor(((end - start) * cores) / 1000));
      }),
    );
  });
});

describe("splitEnergyWh", () => {
  it("shares by core-seconds, the rest idle", () => {
    const split = splitEnergyWh(
      100,
      [
        { attemptId: 1, coreSeconds: 3600 },
        { attemptId: 2, coreSeconds: 1800 },
      ],
      7200,
    );
    expect(split).toEqual({
      allocations: [
        { attemptId: 1, coreSeconds: 3600, energyWh: 50 },
        { attemptId: 2, coreSeconds: 1800, energyWh: 25 },
      ],
      idleWh: 25,
      idleCoreSeconds: 1800,
    });
  });

  it("uses the attempts' total when the radiator reports fewer core-seconds", () => {
    const split = splitEnergyWh(
      90,
      [
        { attemptId: 1, coreSeconds: 200 },
        { attemptId: 2, coreSeconds: 100 },
      ],
      100,
    );
    expect(split.allocations.map((a) => a.energyWh)).toEqual([60, 30]);
    expect(split.idleWh).toBe(0);
    expect(split.idleCoreSeconds).toBe(0);
  });

  it("gives leftover Wh to the largest remainders, ties to the lower attemptId, idle last", () => {
    // Three equal thirds of 10 Wh: 3.33 each, one Wh left over → lowest attemptId.
    const split = splitEnergyWh(
      10,
      [
        { attemptId: 9, coreSeconds: 1 },
        { attemptId: 4, coreSeconds: 1 },
        { attemptId: 7, coreSeconds: 1 },
      ],
      3,
    );
    expect(split.allocations).toEqual([
      { attemptId: 9, coreSeconds: 1, energyWh: 3 },
      { attemptId: 4, coreSeconds: 1, energyWh: 4 },
      { attemptId: 7, coreSeconds: 1, energyWh: 3 },
    ]);
    // An attempt and idle tied at 0.5 each of 1 Wh: the attempt gets it.
    expect(splitEnergyWh(1, [{ attemptId: 1, coreSeconds: 5 }], 10)).toEqual({
      allocations: [{ attemptId: 1, coreSeconds: 5, energyWh: 1 }],
      idleWh: 0,
      idleCoreSeconds: 5,
    });
    // A larger remainder beats a lower attemptId: 5 × 1/3 = 1.67 and 5 × 2/3 = 3.33.
    const uneven = splitEnergyWh(
      5,
      [
        { attemptId: 1, coreSeconds: 1 },
        { attemptId: 2, coreSeconds: 2 },
      ],
      3,
    );
    expect(uneven.allocations.map((a) => a.energyWh)).toEqual([2, 3]);
  });

  it("a delta of 0 gives 0 to everyone", () => {
    const split = splitEnergyWh(0, [{ attemptId: 1, coreSeconds: 100 }], 400);
    expect(split).toEqual({
      allocations: [{ attemptId: 1, coreSeconds: 100, energyWh: 0 }],
      idleWh: 0,
      idleCoreSeconds: 300,
    });
  });

  it("with no attempts, everything is idle", () => {
    expect(splitEnergyWh(42, [], 3600)).toEqual({ allocations: [], idleWh: 42, idleCoreSeconds: 3600 });
  });

  it("with no core-seconds at all, everything is idle", () => {
    expect(splitEnergyWh(7, [], 0)).toEqual({ allocations: [], idleWh: 7, idleCoreSeconds: 0 });
    expect(splitEnergyWh(7, [{ attemptId: 3, coreSeconds: 0 }], 0)).toEqual({
      allocations: [{ attemptId: 3, coreSeconds: 0, energyWh: 0 }],
      idleWh: 7,
      idleCoreSeconds: 0,
    });
  });

  it("an attempt with 0 core-seconds gets 0", () => {
    const split = splitEnergyWh(
      11,
      [
        { attemptId: 1, coreSeconds: 0 },
        { attemptId: 2, coreSeconds: 1 },
      ],
      3,
    );
    expect(split.allocations[0]!.energyWh).toBe(0);
    expect(split.allocations[1]!.energyWh + split.idleWh).toBe(11);
  });

  it("refuses bad input", () => {
    expect(() => splitEnergyWh(-1, [], 0)).toThrow(RangeError);
    expect(() => splitEnergyWh(1, [], -1)).toThrow(RangeError);
    expect(() => splitEnergyWh(1, [{ attemptId: 1, coreSeconds: 1.5 }], 2)).toThrow(RangeError);
    expect(() =>
      splitEnergyWh(
        1,
        [
          { attemptId: 1, coreSeconds: 1 },
          { attemptId: 1, coreSeconds: 1 },
        ],
        2,
      ),
    ).toThrow(/twice/);
  });

  const attemptsArb = fc.uniqueArray(
    fc.record({ attemptId: fc.nat({ max: 1_000_000 }), coreSeconds: fc.oneof(fc.constant(0), fc.nat({ max: 100_000 })) }),
    { selector: (a) => a.attemptId, maxLength: 12 },
  );
  const deltaArb = fc.oneof(fc.constant(0), fc.nat({ max: 20 }), fc.nat({ max: 1_000_000 }));
  const radiatorArb = fc.oneof(fc.constant(0), fc.nat({ max: 2_000_000 }));

  it("property: the parts sum to the delta exactly and none is negative", () => {
    fc.assert(
      fc.property(deltaArb, attemptsArb, radiatorArb, (delta, attempts, radiator) => {
        const split = splitEnergyWh(delta, attempts, radiator);
        const total = split.allocations.reduce((sum, a) => sum + a.energyWh, 0) + split.idleWh;
        expect(total).toBe(delta);
        for (const a of split.allocations) expect(a.energyWh).toBeGreaterThanOrEqual(0);
        expect(split.idleWh).toBeGreaterThanOrEqual(0);
        expect(split.idleCoreSeconds).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("property: each part is within 1 Wh of its exact proportional share", () => {
    fc.assert(
      fc.property(deltaArb, attemptsArb, radiatorArb, (delta, attempts, radiator) => {
        const split = splitEnergyWh(delta, attempts, radiator);
        const attemptTotal = attempts.reduce((sum, a) => sum + a.coreSeconds, 0);
        const D = Math.max(radiator, attemptTotal);
        if (D === 0) {
          expect(split.allocations.every((a) => a.energyWh === 0)).toBe(true);
          expect(split.idleWh).toBe(delta);
          return;
        }
        // |energy − delta × cs / D| < 1, compared exactly as |energy × D − delta × cs| < D.
        const within = (energyWh: number, coreSeconds: number) => {
          const diff = BigInt(energyWh) * BigInt(D) - BigInt(delta) * BigInt(coreSeconds);
          expect(diff < BigInt(D) && -diff < BigInt(D)).toBe(true);
        };
        split.allocations.forEach((a) => within(a.energyWh, a.coreSeconds));
        within(split.idleWh, D - attemptTotal);
        for (const a of split.allocations) if (a.coreSeconds === 0) expect(a.energyWh).toBe(0);
      }),
    );
  });

  it("property: the order of the attempts does not change anyone's share", () => {
    fc.assert(
      fc.property(deltaArb, attemptsArb, radiatorArb, fc.nat(), (delta, attempts, radiator, seed) => {
        const shuffled = [...attempts].sort(
          (a, b) => ((a.attemptId * 2654435761 + seed) % 1009) - ((b.attemptId * 2654435761 + seed) % 1009),
        );
        const byId = (s: ReturnType<typeof splitEnergyWh>) =>
          new Map(s.allocations.map((a) => [a.attemptId, a.energyWh] as const));
        const one = splitEnergyWh(delta, attempts, radiator);
        const other = splitEnergyWh(delta, shuffled, radiator);
        expect(byId(other)).toEqual(byId(one));
        expect(other.idleWh).toBe(one.idleWh);
        expect(other.allocations.map((a) => a.attemptId)).toEqual(shuffled.map((a) => a.attemptId));
      }),
    );
  });
});

describe("meterReading", () => {
  // A digital boiler: the two-minute deltas below are within what it can draw.
  const DB3000_W = 3000;
  const t = (iso: string) => Date.parse(iso);
  const previous = { atMs: t("2026-01-15T09:59:00Z"), energyCounterWh: 1000 };
  const reading = (atIso: string, energyCounterWh: number, coresActive = 4) => ({ atMs: t(atIso), energyCounterWh, coresActive });

  it("puts the whole delta in the hour of the closing reading, even when the interval began in the hour before", () => {
    const metered = meterReading(previous, reading("2026-01-15T10:01:00Z", 1040), [], DB3000_W);
    expect(metered).toEqual({
      hourStartMs: t("2026-01-15T10:00:00Z"),
      deltaWh: 40,
      allocations: [],
      idleWh: 40,
      idleCoreSeconds: 4 * 120,
      anomaly: null,
    });
    // A reading on the hour opens that hour.
    expect(meterReading(previous, reading("2026-01-15T10:00:00Z", 1001), [], DB3000_W).hourStartMs).toBe(t("2026-01-15T10:00:00Z"));
  });

  it("shares the delta between the attempts that ran in the interval, by core-seconds, the rest idle", () => {
    const activities = [
      // Ran the whole two minutes on 2 cores.
      { id: 7, from: new Date("2026-01-15T09:00:00Z"), to: null, cores: 2 },
      // Started halfway, 1 core.
      { id: 8, from: new Date("2026-01-15T10:00:00Z"), to: null, cores: 1 },
      // Ended before the interval: nothing, and left out.
      { id: 9, from: new Date("2026-01-15T09:00:00Z"), to: new Date("2026-01-15T09:30:00Z"), cores: 4 },
    ];
    const metered = meterReading(previous, reading("2026-01-15T10:01:00Z", 1100), activities, DB3000_W);
    // Radiator: 4 cores × 120 s = 480 core-seconds; attempt 7: 240, attempt 8: 60, idle: 180.
    expect(metered).toEqual({
      hourStartMs: t("2026-01-15T10:00:00Z"),
      deltaWh: 100,
      allocations: [
        { attemptId: 7, coreSeconds: 240, energyWh: 50 },
        { attemptId: 8, coreSeconds: 60, energyWh: 13 }, // 12.5 ties with idle's 37.5 on the remainder: the attempt gets the Wh left
      ],
      idleWh: 37,
      idleCoreSeconds: 180,
      anomaly: null,
    });
  });

  it("counts a counter reset as energy since the reset, and the first-seen counter as nothing", () => {
    expect(meterReading(previous, reading("2026-01-15T10:01:00Z", 30), [], DB3000_W).deltaWh).toBe(30);
    expect(meterReading(previous, reading("2026-01-15T10:01:00Z", 1000), [], DB3000_W).deltaWh).toBe(0);
  });

  it("property: over a run of readings, ledger plus idle is the meter, hour by hour", () => {
    const steps = fc.array(
      fc.record({ gapS: fc.integer({ min: 1, max: 5400 }), wh: fc.nat({ max: 2000 }), cores: fc.nat({ max: 16 }) }),
      { minLength: 1, maxLength: 40 },
    );
    const activitiesArb = fc.uniqueArray(
      fc.record({
        id: fc.nat({ max: 1000 }),
        fromS: fc.nat({ max: 100_000 }),
        lengthS: fc.option(fc.nat({ max: 100_000 }), { nil: null }),
        cores: fc.integer({ min: 1, max: 8 }),
      }),
      { selector: (a) => a.id, maxLength: 5 },
    );
    const startMs = t("2026-01-15T00:00:00Z");
    fc.assert(
      fc.property(steps, activitiesArb, (ss, acts) => {
        const activities = acts.map((a) => ({
          id: a.id,
          from: new Date(startMs + a.fromS * 1000),
          to: a.lengthS === null ? null : new Date(startMs + (a.fromS + a.lengthS) * 1000),
          cores: a.cores,
        }));
        let prev = { atMs: startMs, energyCounterWh: 0 };
        const meter = new Map<number, number>();
        const split = new Map<number, number>();
        for (const s of ss) {
          const next = { atMs: prev.atMs + s.gapS * 1000, energyCounterWh: prev.energyCounterWh + s.wh, coresActive: s.cores };
          // Hardware that can draw any step's energy: this property is about sharing, not plausibility.
          const m = meterReading(prev, next, activities, 10_000_000);
          expect(m.deltaWh).toBe(s.wh);
          expect(m.hourStartMs).toBe(hourStartMs(next.atMs));
          meter.set(m.hourStartMs, (meter.get(m.hourStartMs) ?? 0) + m.deltaWh);
          const ledger = m.allocations.reduce((sum, a) => sum + a.energyWh, 0);
          split.set(m.hourStartMs, (split.get(m.hourStartMs) ?? 0) + ledger + m.idleWh);
          for (const a of m.allocations) expect(a.coreSeconds).toBeGreaterThan(0);
          prev = next;
        }
        expect(split).toEqual(meter);
      }),
    );
  });
});

describe("plausibleDeltaWh", () => {
  it("is the hardware's maximum power over the interval, times the margin, plus the rounding slack", () => {
    expect(PLAUSIBLE_POWER_MARGIN).toBe(1.5);
    expect(PLAUSIBLE_SLACK_WH).toBe(2);
    // 500 W for an hour: 500 Wh, 750 with the margin.
    expect(plausibleDeltaWh(500, 3_600_000)).toBe(750 + 2);
    // 300 W for 10 s: 0.83 Wh, 1.25 with the margin, rounded down.
    expect(plausibleDeltaWh(300, 10_000)).toBe(1 + 2);
    // No time, or no power: only the slack.
    expect(plausibleDeltaWh(500, 0)).toBe(2);
    expect(plausibleDeltaWh(0, 3_600_000)).toBe(2);
  });

  it("refuses a negative, fractional or missing power and a negative interval", () => {
    expect(() => plausibleDeltaWh(-1, 1000)).toThrow(RangeError);
    expect(() => plausibleDeltaWh(1.5, 1000)).toThrow(RangeError);
    expect(() => plausibleDeltaWh(Number.NaN, 1000)).toThrow(RangeError);
    expect(() => plausibleDeltaWh(500, -1)).toThrow(RangeError);
    expect(() => plausibleDeltaWh(500, Number.NaN)).toThrow(RangeError);
  });
});

describe("meterReading and the hardware's limit", () => {
  const startMs = Date.parse("2026-01-15T10:00:00Z");
  const previous = { atMs: startMs, energyCounterWh: 250_000 };
  const running = [{ id: 7, from: new Date(startMs - 60_000), to: null, cores: 2 }];

  it("meters a delta up to the plausible maximum, and holds apart one Wh more", () => {
    // 500 W for 15 minutes: at most 187 Wh with the margin, 189 with the slack.
    const limitWh = plausibleDeltaWh(500, 900_000);
    expect(limitWh).toBe(189);
    const at = startMs + 900_000;
    const atLimit = meterReading(previous, { atMs: at, energyCounterWh: 250_000 + limitWh, coresActive: 4 }, running, 500);
    expect(atLimit.anomaly).toBeNull();
    expect(atLimit.deltaWh).toBe(limitWh);

    const over = meterReading(previous, { atMs: at, energyCounterWh: 250_000 + limitWh + 1, coresActive: 4 }, running, 500);
    expect(over).toEqual({
      hourStartMs: startMs,
      deltaWh: 0,
      // The work ran: its core-seconds count; the energy is doubtful and waits.
      allocations: [{ attemptId: 7, coreSeconds: 2 * 900, energyWh: 0 }],
      idleWh: 0,
      idleCoreSeconds: 2 * 900,
      anomaly: { reason: "exceeds_hardware_power", counterDeltaWh: limitWh + 1, plausibleWh: limitWh },
    });
  });

  it("holds apart 100,000 Wh in 10 s from a 300 W radiator, and a jump disguised as a counter reset", () => {
    const jump = meterReading(previous, { atMs: startMs + 10_000, energyCounterWh: 350_000, coresActive: 4 }, [], 300);
    expect(jump).toMatchObject({ deltaWh: 0, idleWh: 0, idleCoreSeconds: 40, anomaly: { counterDeltaWh: 100_000, plausibleWh: 3 } });
    // A "reset" counts the whole new counter since the reset: the same limit applies to it.
    const reset = meterReading(previous, { atMs: startMs + 60_000, energyCounterWh: 90_000, coresActive: 0 }, [], 500);
    expect(reset.anomaly).toMatchObject({ counterDeltaWh: 90_000 });
    expect(reset.deltaWh).toBe(0);
    // A real reset, small, is metered.
    expect(meterReading(previous, { atMs: startMs + 60_000, energyCounterWh: 5, coresActive: 0 }, [], 500).deltaWh).toBe(5);
  });

  it("property: metered energy never exceeds max power × time × margin (plus the slack), and within it the meter is taken whole", () => {
    const steps = fc.array(
      fc.record({
        gapMs: fc.integer({ min: 1, max: 6 * 3_600_000 }),
        wh: fc.oneof(fc.nat({ max: 5000 }), fc.nat({ max: 10_000_000 })),
        reset: fc.boolean(),
        cores: fc.nat({ max: 16 }),
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), steps, (maxPowerW, ss) => {
        let prev = { atMs: startMs, energyCounterWh: 1000 };
        let meteredWh = 0;
        let elapsedMs = 0;
        for (const s of ss) {
          const next = { atMs: prev.atMs + s.gapMs, energyCounterWh: s.reset ? s.wh : prev.energyCounterWh + s.wh, coresActive: s.cores };
          const m = meterReading(prev, next, running, maxPowerW);
          const counterDeltaWh = energyDeltaWh(prev.energyCounterWh, next.energyCounterWh);
          // Each reading: within the limit of its own interval.
          expect(m.deltaWh).toBeLessThanOrEqual((maxPowerW * s.gapMs * PLAUSIBLE_POWER_MARGIN) / 3_600_000 + PLAUSIBLE_SLACK_WH);
          if (m.anomaly === null) expect(m.deltaWh).toBe(counterDeltaWh);
          else expect(m.anomaly.counterDeltaWh).toBe(counterDeltaWh);
          // Whatever is metered is shared whole; what is held apart is shared nowhere.
          expect(m.allocations.reduce((n, a) => n + a.energyWh, 0) + m.idleWh).toBe(m.deltaWh);
          meteredWh += m.deltaWh;
          elapsedMs += s.gapMs;
          prev = next;
        }
        // And over the whole run.
        expect(meteredWh).toBeLessThanOrEqual((maxPowerW * elapsedMs * PLAUSIBLE_POWER_MARGIN) / 3_600_000 + PLAUSIBLE_SLACK_WH * ss.length);
      }),
    );
  });
});

describe("readingRefusal", () => {
  const installedOn = "2023-04-22";
  const nowMs = Date.parse("2026-01-15T10:00:00Z");
  const window = { earliestMs: earliestReadingMs(installedOn), latestMs: nowMs + 5 * 60_000 };

  it("opens the window at the start of the installation day in the earliest zone (UTC+14)", () => {
    expect(earliestReadingMs(installedOn)).toBe(Date.parse("2023-04-21T10:00:00Z"));
    expect(() => earliestReadingMs("22/04/2023")).toThrow(RangeError);
  });

  it("takes readings from the installation day to a few minutes ahead of the server's clock, boundaries included", () => {
    expect(readingRefusal(window.earliestMs, window)).toBeNull();
    expect(readingRefusal(Date.parse("2023-04-22T08:00:00+02:00"), window)).toBeNull();
    expect(readingRefusal(nowMs, window)).toBeNull();
    expect(readingRefusal(window.latestMs, window)).toBeNull();
  });

  it("refuses a reading before the radiator was installed, or too far ahead of the server's clock", () => {
    expect(readingRefusal(window.earliestMs - 1, window)).toBe("before_installation");
    expect(readingRefusal(Date.parse("1970-01-01T00:00:00Z"), window)).toBe("before_installation");
    expect(readingRefusal(Date.parse("0001-01-01T00:00:00Z"), window)).toBe("before_installation");
    expect(readingRefusal(window.latestMs + 1, window)).toBe("ahead_of_clock");
    expect(readingRefusal(Date.parse("9999-12-31T23:59:59Z"), window)).toBe("ahead_of_clock");
  });

  it("refuses a time that cannot be stored: year 0, past year 9999, not a time", () => {
    const wide = { earliestMs: -Infinity, latestMs: Infinity };
    expect(readingRefusal(Date.parse("0000-01-01T00:00:00Z"), wide)).toBe("invalid_time");
    expect(readingRefusal(Date.parse("0001-01-01T00:00:00+01:00"), wide)).toBe("invalid_time"); // year 0 in UTC
    expect(readingRefusal(Date.parse("9999-12-31T23:59:59-12:00"), wide)).toBe("invalid_time"); // year 10000 in UTC
    expect(readingRefusal(Number.NaN, wide)).toBe("invalid_time");
    expect(readingRefusal(Date.parse("0001-01-01T00:00:00Z"), wide)).toBeNull();
  });
});
