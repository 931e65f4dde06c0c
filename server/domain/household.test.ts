import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AWAY_GAINS_W,
  householdAt,
  householdProfile,
  parisLocalMs,
  parisUtcOffsetMinutes,
  type HouseholdProfile,
} from "./household";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const intlOffset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", timeZoneName: "longOffset" });
/** The offset the platform's time-zone database gives, in minutes ("GMT+02:00" → 120). */
function offsetFromIntl(atMs: number): number {
  const name = intlOffset.formatToParts(new Date(atMs)).find((p) => p.type === "timeZoneName")!.value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name)!;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** UTC instant of a Paris clock time on a given date (the date's own offset). */
function parisTime(year: number, month: number, day: number, hour: number, minute = 0): number {
  const guess = Date.UTC(year, month, day, hour, minute);
  return guess - parisUtcOffsetMinutes(guess - 2 * HOUR_MS) * MINUTE_MS;
}

function profileOfKind(kind: HouseholdProfile["kind"]): HouseholdProfile {
  for (let seed = 1; ; seed++) {
    const p = householdProfile(seed);
    if (p.kind === kind) return p;
  }
}

describe("Paris local time", () => {
  it("switches at 01:00 UTC on the last Sundays of March and October", () => {
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(60);
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 2, 29, 1))).toBe(120);
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 9, 25, 0, 59, 59, 999))).toBe(120);
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 9, 25, 1))).toBe(60);
    expect(parisUtcOffsetMinutes(Date.UTC(2024, 2, 31, 1))).toBe(120); // 31 March 2024 was a Sunday
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 0, 15))).toBe(60);
    expect(parisUtcOffsetMinutes(Date.UTC(2026, 6, 15))).toBe(120);
    expect(new Date(parisLocalMs(Date.UTC(2026, 6, 15, 10))).getUTCHours()).toBe(12);
  });

  it("property: agrees with the time-zone database from 1997 to 2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1997, 0, 1), max: Date.UTC(2099, 11, 31) }), (atMs) => {
        expect(parisUtcOffsetMinutes(atMs)).toBe(offsetFromIntl(atMs));
      }),
      { numRuns: 500 },
    );
    // And around every switch of 2020–2035, hour by hour.
    for (let year = 2020; year <= 2035; year++) {
      for (const month of [2, 9]) {
        for (let t = Date.UTC(year, month, 24); t < Date.UTC(year, month + 1, 1); t += HOUR_MS)
          expect(parisUtcOffsetMinutes(t)).toBe(offsetFromIntl(t));
      }
    }
  });
});

describe("householdProfile", () => {
  it("is deterministic, and draws every kind of household with sensible habits", () => {
    expect(householdProfile(123)).toEqual(householdProfile(123));
    expect(householdProfile(123)).not.toEqual(householdProfile(124));
    const kinds = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const p = householdProfile(seed);
      kinds.add(p.kind);
      expect(p.comfortC).toBeGreaterThanOrEqual(19);
      expect(p.comfortC).toBeLessThanOrEqual(21);
      expect(p.homeGainsW).toBeGreaterThanOrEqual(60);
      expect(p.homeGainsW).toBeLessThanOrEqual(150);
      expect(p.wakeMinute).toBeLessThan(p.leaveMinute);
      expect(p.leaveMinute).toBeLessThan(p.returnMinute);
      expect(p.returnMinute).toBeLessThan(p.bedMinute);
    }
    expect(kinds).toEqual(new Set(["worker", "part_time", "home_all_day"]));
  });
});

describe("householdAt", () => {
  const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });
  const timeArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });

  it("property: a pure function of seed and time, and the out-parameter form gives the same", () => {
    fc.assert(
      fc.property(seedArb, timeArb, (seed, atMs) => {
        const p = householdProfile(seed);
        const a = householdAt(p, atMs);
        expect(householdAt(seed, atMs)).toEqual(a);
        const out = { occupancy: "away" as const, setpointC: -1, gainsW: -1, windowOpen: true };
        expect(householdAt(p, atMs, out)).toBe(out);
        expect(out).toEqual(a);
      }),
    );
  });

  it("property: setpoint, gains and window follow the occupancy", () => {
    fc.assert(
      fc.property(seedArb, timeArb, (seed, atMs) => {
        const p = householdProfile(seed);
        const h = householdAt(p, atMs);
        if (h.occupancy === "asleep") {
          expect(h.setpointC).toBe(p.comfortC - p.nightSetbackC);
          expect(h.setpointC).toBeLessThan(p.comfortC);
          expect(h.gainsW).toBeLessThan(p.homeGainsW);
          expect(h.windowOpen).toBe(false);
        } else if (h.occupancy === "away") {
          expect(h.setpointC).toBeLessThanOrEqual(p.comfortC);
          expect(h.gainsW).toBe(AWAY_GAINS_W);
          expect(h.windowOpen).toBe(false);
        } else {
          expect(h.setpointC).toBe(p.comfortC);
          expect(h.gainsW).toBeGreaterThanOrEqual(60);
          expect(h.gainsW).toBeLessThanOrEqual(250);
        }
      }),
    );
  });

  it("sets back at night: asleep at 03:00 with the setpoint below the day's, awake and warmer at 10:00", () => {
    for (let seed = 0; seed < 30; seed++) {
      const p = householdProfile(seed);
      for (let d = 1; d <= 14; d++) {
        const night = householdAt(p, parisTime(2026, 0, d, 3));
        expect(night.occupancy).toBe("asleep");
        const evening = householdAt(p, parisTime(2026, 0, d, 21));
        expect(evening.occupancy).toBe("home");
        expect(night.setpointC).toBeLessThan(evening.setpointC);
      }
    }
  });

  it("workers are out on weekdays and home on weekends, by the Paris clock in winter and summer", () => {
    const p = profileOfKind("worker");
    for (const month of [0, 6]) {
      let weekdaysOut = 0;
      let weekdays = 0;
      let weekendsHome = 0;
      let weekends = 0;
      for (let d = 1; d <= 28; d++) {
        const at = parisTime(2026, month, d, 11);
        const weekday = new Date(Date.UTC(2026, month, d)).getUTCDay();
        const h = householdAt(p, at);
        if (weekday === 0 || weekday === 6) {
          // No set-back programme at weekends; an outing now and then does not change the setting.
          weekends++;
          if (h.occupancy === "home") weekendsHome++;
          expect(h.setpointC).toBe(p.comfortC);
        } else {
          weekdays++;
          // Out at work with the programme set back (a day off may bring an outing at comfort).
          if (h.setpointC < p.comfortC) {
            weekdaysOut++;
            expect(h.occupancy).toBe("away");
            expect(h.setpointC).toBe(p.comfortC - p.awaySetbackC);
          }
        }
      }
      // A day off now and then, but out on most weekdays.
      expect(weekdaysOut / weekdays).toBeGreaterThan(0.75);
      expect(weekendsHome / weekends).toBeGreaterThan(0.5);
    }
  });

  it("those home all day keep their comfort setting in the daytime", () => {
    const p = profileOfKind("home_all_day");
    for (let d = 1; d <= 28; d++) expect(householdAt(p, parisTime(2026, 0, d, 11)).setpointC).toBe(p.comfortC);
  });

  it("air the room a few times a week, for under 3 % of the time", () => {
    let openMinutes = 0;
    let minutes = 0;
    let households = 0;
    for (let seed = 0; seed < 20; seed++) {
      const p = householdProfile(seed);
      let open = 0;
      let airings = 0;
      let wasOpen = false;
      const from = Date.UTC(2026, 0, 5);
      for (let t = from; t < from + 28 * DAY_MS; t += MINUTE_MS) {
        const isOpen = householdAt(p, t).windowOpen;
        if (isOpen) open++;
        if (isOpen && !wasOpen) airings++;
        wasOpen = isOpen;
      }
      const perWeek = airings / 4;
      expect(perWeek).toBeGreaterThanOrEqual(0.5);
      expect(perWeek).toBeLessThanOrEqual(14);
      if (airings > 0) expect(open / airings).toBeCloseTo(10, 0); // ten-minute airings
      openMinutes += open;
      minutes += 28 * 24 * 60;
      households++;
    }
    expect(households).toBe(20);
    expect(openMinutes / minutes).toBeGreaterThan(0);
    expect(openMinutes / minutes).toBeLessThan(0.03);
  });
});
