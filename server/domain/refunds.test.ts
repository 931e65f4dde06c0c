import { describe, expect, it } from "vitest";
import { energyDeltaWh } from "./metering";
import {
  addMonths,
  adjustmentLines,
  assembleStatement,
  deviceAnomalies,
  deviceLines,
  isCalendarDate,
  lineAmountCents,
  localMidnightMs,
  tariffInForce,
  tariffPeriods,
  type MeteredDevice,
  type MeterSegment,
  type TariffVersion,
} from "./refunds";

const FR = (id: number, effectiveFrom: string, priceMicroEurosPerKWh: number): TariffVersion => ({
  id,
  country: "FR",
  option: "base-6kva",
  label: `Tarif Bleu Base 6 kVA ${effectiveFrom}`,
  effectiveFrom,
  priceMicroEurosPerKWh,
});
/** DOMAIN.md's Tarif Bleu Base 6 kVA history. */
const TARIFS = [FR(1, "2023-08-01", 227600), FR(2, "2024-02-01", 251600), FR(3, "2025-02-01", 201600), FR(4, "2025-08-01", 195200), FR(5, "2026-02-01", 194000)];
const PARIS = "Europe/Paris";

/** A segment as the hourly rollup sums it: each reading's delta from the one before (energyDeltaWh). */
function segmentOf(fromDate: string, before: number | null, counters: number[]): MeterSegment {
  let previous = before;
  let energyWh = 0;
  let restarts = 0;
  for (const c of counters) {
    energyWh += energyDeltaWh(previous, c);
    if (previous !== null && c < previous) restarts++;
    previous = c;
  }
  return { fromDate, energyWh, readingCount: counters.length, firstCounterWh: counters[0] ?? null, lastCounterWh: counters.at(-1) ?? null, restarts };
}

const radiator = (id: string, counterBeforeWh: number | null, segments: MeterSegment[], roomName = "Séjour"): MeteredDevice => ({
  kind: "radiator",
  id,
  serial: `QRAD-${id}`,
  roomName,
  counterBeforeWh,
  segments,
});

describe("line amounts", () => {
  it("are Wh × µ€/kWh / 10^7 cents, rounded once, half away from zero", () => {
    // 123,456 Wh at 0.1952 €/kWh = 24.0986112 € → 2,410 cents.
    expect(lineAmountCents(123_456, 195_200)).toBe(2410);
    // 25 Wh at 0.2 €/kWh is exactly half a cent.
    expect(lineAmountCents(25, 200_000)).toBe(1);
    expect(lineAmountCents(24, 200_000)).toBe(0);
    expect(lineAmountCents(-25, 200_000)).toBe(-1);
    expect(lineAmountCents(0, 194_000)).toBe(0);
    // A Paris January at full power (DOMAIN.md): 370 kWh at 0.1940 € = 71.78 €.
    expect(lineAmountCents(370_000, 194_000)).toBe(7178);
  });

  it("refuse a price that is not a positive integer", () => {
    expect(() => lineAmountCents(1000, 0)).toThrow(RangeError);
    expect(() => lineAmountCents(1000, -5)).toThrow(RangeError);
    expect(() => lineAmountCents(1.5, 194_000)).toThrow(RangeError);
  });
});

describe("tariffs", () => {
  it("take the latest version on or before the day, the latest id on a tie", () => {
    expect(tariffInForce(TARIFS, "FR", "base-6kva", "2026-01-31")!.id).toBe(4);
    expect(tariffInForce(TARIFS, "FR", "base-6kva", "2026-02-01")!.id).toBe(5);
    expect(tariffInForce([...TARIFS, FR(9, "2026-02-01", 194100)], "FR", "base-6kva", "2026-02-10")!.id).toBe(9);
    expect(tariffInForce(TARIFS, "FR", "base-6kva", "2023-07-31")).toBeNull();
    expect(tariffInForce(TARIFS, "BE", "base-6kva", "2026-01-01")).toBeNull();
  });

  it("cut a month at each change, at local midnight", () => {
    const periods = tariffPeriods([...TARIFS, FR(6, "2026-03-15", 200_000)], "FR", "base-6kva", "2026-03-01")!;
    expect(periods.map((p) => [p.fromDate, p.toDate, p.tariff.id])).toEqual([
      ["2026-03-01", "2026-03-15", 5],
      ["2026-03-15", "2026-04-01", 6],
    ]);
    expect(tariffPeriods(TARIFS, "FR", "base-6kva", "2026-02-01")!.map((p) => p.tariff.id)).toEqual([5]);
    expect(tariffPeriods(TARIFS, "FR", "base-6kva", "2023-07-01")).toBeNull();
  });

  it("place local midnights in the zone", () => {
    expect(new Date(localMidnightMs("2026-01-01", PARIS)).toISOString()).toBe("2025-12-31T23:00:00.000Z");
    expect(new Date(localMidnightMs("2026-07-01", PARIS)).toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(addMonths("2026-12-01", 1)).toBe("2027-01-01");
    expect(addMonths("2026-01-01", -2)).toBe("2025-11-01");
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2028-02-29")).toBe(true);
  });
});

describe("statements to the cent", () => {
  it("a plain month: one line per radiator, the meter from the last reading before the month", () => {
    const periods = tariffPeriods(TARIFS, "FR", "base-6kva", "2026-01-01")!;
    const lines = deviceLines(radiator("a", 10_000, [segmentOf("2026-01-01", 10_000, [15_000, 60_000, 133_456])]), "2026-01-01", periods, PARIS);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      kind: "radiator",
      radiatorId: "a",
      meterStartWh: 10_000,
      meterEndWh: 133_456,
      energyWh: 123_456,
      tariffVersionId: 4,
      priceMicroEurosPerKWh: 195_200,
      amountCents: 2410, // 24.0986112 €
      periodStartMs: Date.parse("2025-12-31T23:00:00Z"),
      periodEndMs: Date.parse("2026-01-31T23:00:00Z"),
    });
  });

  it("a month split by a tariff change: two lines, the meter read at the change", () => {
    const versions = [...TARIFS, FR(6, "2026-03-15", 200_000)];
    const periods = tariffPeriods(versions, "FR", "base-6kva", "2026-03-01")!;
    const device = radiator("a", 1_000, [segmentOf("2026-03-01", 1_000, [21_000, 51_000]), segmentOf("2026-03-15", 51_000, [70_000, 81_001])]);
    const statement = assembleStatement(deviceLines(device, "2026-03-01", periods, PARIS));
    expect(statement.lines.map((l) => [l.meterStartWh, l.meterEndWh, l.energyWh, l.priceMicroEurosPerKWh, l.amountCents])).toEqual([
      [1_000, 51_000, 50_000, 194_000, 970], // 50 kWh × 0.1940 € = 9.70 €
      [51_000, 81_001, 30_001, 200_000, 600], // 30.001 kWh × 0.2000 € = 6.0002 € → 6.00 €
    ]);
    expect(statement).toMatchObject({ energyWh: 80_001, amountCents: 1570 });
    expect(statement.lines[0]!.periodEndMs).toBe(statement.lines[1]!.periodStartMs);
    expect(new Date(statement.lines[1]!.periodStartMs).toISOString()).toBe("2026-03-14T23:00:00.000Z");
  });

  it("a meter reset mid-month: the counter that restarts at 0 adds what it reached before", () => {
    const periods = tariffPeriods(TARIFS, "FR", "base-6kva", "2026-02-01")!;
    // 5,000 → 9,000, power cut, restarts: 300, then 700. Energy: 4,000 + 700 = 4,700 Wh.
    const device = radiator("a", 5_000, [segmentOf("2026-02-01", 5_000, [7_000, 9_000, 300, 700])]);
    const [line] = deviceLines(device, "2026-02-01", periods, PARIS);
    expect(line).toMatchObject({ meterStartWh: 5_000, meterEndWh: 700, energyWh: 4_700, amountCents: 91 }); // 0.9118 €
    expect(deviceAnomalies(device, "2026-02-01", Date.parse("2026-02-28T20:00:00Z"), PARIS)).toEqual([
      { kind: "meter-reset", detail: "counter restarted at 0 1 time(s)" },
    ]);
  });

  it("a radiator replaced mid-month: a line for each, the new one's meter from its first reading", () => {
    const periods = tariffPeriods(TARIFS, "FR", "base-6kva", "2026-02-01")!;
    const old = radiator("old", 20_000, [segmentOf("2026-02-01", 20_000, [25_000, 30_000])]);
    const replacement = radiator("new", null, [segmentOf("2026-02-01", null, [0, 3_000, 8_000])]);
    const statement = assembleStatement([...deviceLines(replacement, "2026-02-01", periods, PARIS), ...deviceLines(old, "2026-02-01", periods, PARIS)]);
    expect(statement.lines.map((l) => [l.radiatorId, l.meterStartWh, l.meterEndWh, l.energyWh, l.amountCents])).toEqual([
      ["new", 0, 8_000, 8_000, 155], // 1.552 €
      ["old", 20_000, 30_000, 10_000, 194], // 1.94 €
    ]);
    expect(statement).toMatchObject({ energyWh: 18_000, amountCents: 349 });
  });

  it("a reading after the close: the difference is an adjustment on the next statement, at the old month's price", () => {
    const january = tariffPeriods(TARIFS, "FR", "base-6kva", "2026-01-01")!;
    const closed = deviceLines(radiator("a", 0, [segmentOf("2026-01-01", 0, [10_000])]), "2026-01-01", january, PARIS);
    // A gateway that was offline reports January's last readings in February: 600 Wh more in January.
    const now = deviceLines(radiator("a", 0, [segmentOf("2026-01-01", 0, [10_000, 10_600])]), "2026-01-01", january, PARIS);
    const stated = closed.map((l) => ({ deviceId: "a", energyMonth: l.energyMonth, tariffVersionId: l.tariffVersionId, energyWh: l.energyWh }));
    const adjustments = adjustmentLines(now, stated);
    expect(adjustments).toEqual([
      expect.objectContaining({ kind: "adjustment", energyMonth: "2026-01-01", meterStartWh: null, meterEndWh: null, energyWh: 600, priceMicroEurosPerKWh: 195_200, amountCents: 12 }),
    ]);
    // Once stated, it is not stated again.
    const afterwards = [...stated, { deviceId: "a", energyMonth: "2026-01-01", tariffVersionId: 4, energyWh: 600 }];
    expect(adjustmentLines(now, afterwards)).toEqual([]);

    const february = tariffPeriods(TARIFS, "FR", "base-6kva", "2026-02-01")!;
    const feb = deviceLines(radiator("a", 10_600, [segmentOf("2026-01-01", 0, [10_000, 10_600]), segmentOf("2026-02-01", 10_600, [20_600])]), "2026-02-01", february, PARIS);
    const statement = assembleStatement([...adjustments, ...feb]);
    expect(statement.lines.map((l) => [l.kind, l.energyMonth, l.energyWh, l.amountCents])).toEqual([
      ["radiator", "2026-02-01", 10_000, 194],
      ["adjustment", "2026-01-01", 600, 12],
    ]);
    expect(statement).toMatchObject({ energyWh: 10_600, amountCents: 206 });
  });

  it("flag a radiator silent at the month's end, or without readings", () => {
    const device = radiator("a", 0, [segmentOf("2026-01-01", 0, [100, 200])]);
    expect(deviceAnomalies(device, "2026-01-01", Date.parse("2026-01-20T10:00:00Z"), PARIS)).toEqual([
      { kind: "silent", detail: "silent for 11 days before the month's end" },
    ]);
    expect(deviceAnomalies(radiator("b", 0, []), "2026-01-01", null, PARIS)).toEqual([{ kind: "no-readings", detail: "no reading this month" }]);
  });
});
