import { describe, expect, it } from "vitest";
import {
  anchorOrToday,
  axisTicks,
  energyBars,
  hasBegun,
  heatBands,
  lastDayOf,
  localDay,
  temperatureRows,
  wallTime,
  type ViewPoint,
} from "./history-view";

const HOUR = 3_600_000;
const point = (i: number, label: string, over: Partial<ViewPoint> = {}): ViewPoint => ({
  startMs: i * HOUR,
  endMs: (i + 1) * HOUR,
  label,
  roomTempC: 19,
  targetTempC: 20,
  outdoorTempC: 4,
  heatingShare: 0,
  energyWh: 0,
  ...over,
});

describe("history view", () => {
  it("takes today in the site's zone, and a bad anchor as today", () => {
    const lateEvening = new Date("2026-12-05T23:30:00Z");
    expect(localDay(lateEvening, "Europe/Paris")).toBe("2026-12-06");
    expect(localDay(lateEvening, "America/New_York")).toBe("2026-12-05");
    expect(anchorOrToday("2026-02-30", "2026-12-05")).toBe("2026-12-05");
    expect(anchorOrToday(["2026-01-01"], "2026-12-05")).toBe("2026-12-05");
    expect(anchorOrToday("2025-03-01", "2026-12-05")).toBe("2025-03-01");
  });

  it("opens the next period only once it has begun", () => {
    expect(hasBegun("2026-12-05", "2026-12-05")).toBe(true);
    expect(hasBegun("2027-01-01", "2026-12-05")).toBe(false);
    expect(lastDayOf("2027-01-01")).toBe("2026-12-31");
  });

  it("reads labels as wall times", () => {
    expect(wallTime("2026-03-29T02:00").toISOString()).toBe("2026-03-29T02:00:00.000Z");
    expect(wallTime("2026-03").toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });

  it("draws means at the middle of their period and carries the target to both ends", () => {
    const rows = temperatureRows([point(0, "2026-12-05T00:00", { targetTempC: 18 }), point(1, "2026-12-05T01:00", { targetTempC: 21 })]);
    expect(rows.map((r) => r.x)).toEqual([0, HOUR / 2, 1.5 * HOUR, 2 * HOUR]);
    expect(rows.map((r) => r.targetTempC)).toEqual([18, 18, 21, 21]);
    expect(rows[0]!.roomTempC).toBeNull();
    expect(temperatureRows([])).toEqual([]);
  });

  it("shades exactly the periods that heated, darker the more they heated", () => {
    const bands = heatBands([
      point(0, "a", { heatingShare: 0 }),
      point(1, "b", { heatingShare: 0.01 }),
      point(2, "c", { heatingShare: 0.5 }),
      point(3, "d", { heatingShare: 1 }),
      point(4, "e", { heatingShare: null }),
    ]);
    expect(bands).toEqual([
      { x1: 2 * HOUR, x2: 3 * HOUR, opacity: 0.37 },
      { x1: 3 * HOUR, x2: 4 * HOUR, opacity: 0.62 },
    ]);
  });

  it("ticks on whole hours, midnights, weeks from the 1st and months", () => {
    const day = Array.from({ length: 24 }, (_, h) => point(h, `2026-12-05T${String(h).padStart(2, "0")}:00`));
    expect(axisTicks("day", day)).toEqual([0, 3, 6, 9, 12, 15, 18, 21].map((h) => h * HOUR));
    expect(axisTicks("week", day)).toEqual([0]);
    const month = Array.from({ length: 31 }, (_, d) => point(d, `2026-12-${String(d + 1).padStart(2, "0")}`));
    expect(axisTicks("month", month).map((x) => x / HOUR + 1)).toEqual([1, 8, 15, 22, 29]);
    expect(axisTicks("year", month)).toEqual([0]);
  });

  it("bars energy by hour for a day, by day for a week or a month, by month for a year", () => {
    const hours = [point(0, "2026-12-05T00:00", { energyWh: 120 })];
    const days = [
      { day: "2026-01-30", energyWh: 1000 },
      { day: "2026-01-31", energyWh: 500 },
      { day: "2026-02-01", energyWh: 250 },
    ];
    expect(energyBars("day", hours, days)).toEqual([{ key: "2026-12-05T00:00", energyWh: 120 }]);
    expect(energyBars("month", hours, days)).toHaveLength(3);
    expect(energyBars("year", hours, days)).toEqual([
      { key: "2026-01", energyWh: 1500 },
      { key: "2026-02", energyWh: 250 },
    ]);
  });
});
