import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CLIMATES,
  climateForSite,
  dailyCycleShape,
  dailyHalfRangeC,
  normalOutdoorTempC,
  outdoorTempC,
  seasonalTempC,
  weatherNoiseC,
  type ClimateKey,
} from "./weather";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const KEYS: ClimateKey[] = ["paris", "bordeaux"];

function monthMeanC(sample: (atMs: number) => number, year: number, month: number, stepMs = 10 * 60_000): number {
  const from = Date.UTC(year, month, 1);
  const to = Date.UTC(year, month + 1, 1);
  let sum = 0;
  let n = 0;
  for (let t = from; t < to; t += stepMs) {
    sum += sample(t);
    n++;
  }
  return sum / n;
}

describe("outdoorTempC", () => {
  it("keeps each calendar month's mean within ±1 °C of the normal, for several seeds and years", () => {
    for (const key of KEYS) {
      for (const [seed, year] of [
        [1, 2025],
        [2, 2026],
        [3, 2027],
        [4, 2028],
      ] as const) {
        for (let month = 0; month < 12; month++) {
          const mean = monthMeanC((t) => outdoorTempC(key, t, seed), year, month, HOUR_MS / 2);
          expect(Math.abs(mean - CLIMATES[key].monthlyMeanTempC[month]!)).toBeLessThan(1);
        }
      }
    }
  });

  it("property: any seed keeps any month's mean within ±1 °C", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2000, max: 2090 }), fc.integer({ min: 0, max: 11 }), fc.constantFrom(...KEYS), (seed, year, month, key) => {
        const mean = monthMeanC((t) => outdoorTempC(key, t, seed), year, month, HOUR_MS);
        expect(Math.abs(mean - CLIMATES[key].monthlyMeanTempC[month]!)).toBeLessThan(1);
      }),
      { numRuns: 60 },
    );
  });

  it("is a pure function of (climate, time, seed), and seeds give different weather", () => {
    const t = Date.UTC(2026, 0, 15, 9, 30);
    expect(outdoorTempC("paris", t, 42)).toBe(outdoorTempC("paris", t, 42));
    expect(outdoorTempC("paris", t, 42)).toBe(outdoorTempC(CLIMATES.paris, t, 42));
    // Over a fortnight, two seeds differ by more than a degree somewhere.
    let maxDiff = 0;
    for (let h = 0; h < 14 * 24; h++) {
      const at = t + h * HOUR_MS;
      maxDiff = Math.max(maxDiff, Math.abs(outdoorTempC("paris", at, 1) - outdoorTempC("paris", at, 2)));
    }
    expect(maxDiff).toBeGreaterThan(1);
  });

  it("moves smoothly: never more than 0.1 °C from one minute to the next", () => {
    const from = Date.UTC(2026, 2, 1);
    let prev = outdoorTempC("bordeaux", from, 9);
    for (let t = from + 60_000; t < from + 7 * DAY_MS; t += 60_000) {
      const now = outdoorTempC("bordeaux", t, 9);
      expect(Math.abs(now - prev)).toBeLessThan(0.1);
      prev = now;
    }
  });

  it("varies from day to day like weather: daily means spread by 1–3 °C around the month's", () => {
    const means: number[] = [];
    for (let d = 0; d < 60; d++) {
      const day = Date.UTC(2026, 0, 1) + d * DAY_MS;
      let sum = 0;
      for (let h = 0; h < 24; h++) sum += outdoorTempC("paris", day + h * HOUR_MS, 5) - seasonalTempC("paris", day + h * HOUR_MS);
      means.push(sum / 24);
    }
    const sd = Math.sqrt(means.reduce((s, m) => s + m * m, 0) / means.length);
    expect(sd).toBeGreaterThan(1);
    expect(sd).toBeLessThan(3);
  });

  it("Bordeaux is milder than Paris in winter", () => {
    expect(seasonalTempC("bordeaux", Date.UTC(2026, 0, 15))).toBeGreaterThan(seasonalTempC("paris", Date.UTC(2026, 0, 15)) + 2);
  });
});

describe("seasonal curve", () => {
  it("averages exactly the normal over each twelfth of the year, and peaks in July", () => {
    for (const key of KEYS) {
      const m = monthMeanC((t) => seasonalTempC(key, t), 2026, 6);
      expect(m).toBeCloseTo(CLIMATES[key].monthlyMeanTempC[6]!, 1);
      let warmest = { t: 0, c: -Infinity };
      for (let d = 0; d < 365; d++) {
        const t = Date.UTC(2026, 0, 1) + d * DAY_MS;
        const c = seasonalTempC(key, t);
        if (c > warmest.c) warmest = { t, c };
      }
      expect([6, 7]).toContain(new Date(warmest.t).getUTCMonth());
    }
  });
});

describe("daily cycle", () => {
  // 05:00 UTC and 14:00 UTC are 06:00 and 15:00 standard (UTC+1) time.
  const day = Date.UTC(2026, 0, 20);

  it("is −1 at 06:00 and +1 at 15:00 standard time, with mean 0 over a day", () => {
    expect(dailyCycleShape(day + 5 * HOUR_MS)).toBeCloseTo(-1, 12);
    expect(dailyCycleShape(day + 14 * HOUR_MS)).toBeCloseTo(1, 12);
    let sum = 0;
    const n = 24 * 60;
    for (let m = 0; m < n; m++) sum += dailyCycleShape(day + m * 60_000);
    expect(Math.abs(sum / n)).toBeLessThan(1e-3);
  });

  it("rises from 06:00 to 15:00 and falls from 15:00 to 06:00", () => {
    for (let m = 5 * 60; m < 14 * 60; m += 5)
      expect(dailyCycleShape(day + (m + 5) * 60_000)).toBeGreaterThan(dailyCycleShape(day + m * 60_000));
    for (let m = 14 * 60; m < (24 + 5) * 60; m += 5)
      expect(dailyCycleShape(day + (m + 5) * 60_000)).toBeLessThan(dailyCycleShape(day + m * 60_000));
  });

  it("is wider in summer than in winter", () => {
    for (const key of KEYS) {
      expect(dailyHalfRangeC(key, Date.UTC(2026, 6, 15))).toBeGreaterThan(dailyHalfRangeC(key, Date.UTC(2026, 0, 15)) + 1.5);
    }
  });

  it("shows in the outdoor temperature: averaged over a month, coldest near 06:00 and warmest near 15:00", () => {
    for (const month of [0, 6]) {
      const byHour = new Array<number>(24).fill(0);
      for (let d = 0; d < 28; d++)
        for (let h = 0; h < 24; h++) byHour[h]! += outdoorTempC("paris", Date.UTC(2026, month, 1) + d * DAY_MS + h * HOUR_MS, 3);
      const standardHour = (utcHour: number) => (utcHour + 1) % 24;
      const coldest = standardHour(byHour.indexOf(Math.min(...byHour)));
      const warmest = standardHour(byHour.indexOf(Math.max(...byHour)));
      expect(coldest).toBeGreaterThanOrEqual(5);
      expect(coldest).toBeLessThanOrEqual(7);
      expect(warmest).toBeGreaterThanOrEqual(14);
      expect(warmest).toBeLessThanOrEqual(16);
    }
  });
});

describe("climateForSite", () => {
  it("maps the seed's cities and zones", () => {
    expect(climateForSite({ city: "Paris", climateZone: "H1a" })).toBe("paris");
    expect(climateForSite({ city: "Bordeaux", climateZone: "H2c" })).toBe("bordeaux");
    expect(climateForSite({ city: "Mérignac", climateZone: "H2c" })).toBe("bordeaux");
    expect(climateForSite({ city: "Launaguet", climateZone: "H2c" })).toBe("bordeaux");
    expect(climateForSite({ city: "Lille", climateZone: "H1a" })).toBe("paris");
    expect(climateForSite({})).toBe("paris");
  });
});

describe("normalOutdoorTempC", () => {
  it("is the weather without its noise: season and hour only, the same for every seed", () => {
    const atMs = Date.UTC(2026, 0, 15, 14);
    for (const seed of [1, 2, 3]) expect(outdoorTempC("paris", atMs, seed) - weatherNoiseC(atMs, seed)).toBeCloseTo(normalOutdoorTempC("paris", atMs), 9);
    expect(normalOutdoorTempC("paris", atMs)).toBeGreaterThan(normalOutdoorTempC("paris", Date.UTC(2026, 0, 15, 5)));
  });
});
