import { describe, expect, it } from "vitest";
import { heatingShare, historyPeriod, parseDay } from "./history-period";

describe("historyPeriod", () => {
  it("cuts a day, a Monday-to-Sunday week, a month and a year around the anchor", () => {
    expect(historyPeriod("day", "2026-03-29")).toMatchObject({ startDate: "2026-03-29", endDate: "2026-03-30", previousAnchor: "2026-03-28", nextAnchor: "2026-03-30", resolution: "hour", days: 1 });
    // 5 December 2026 is a Saturday.
    expect(historyPeriod("week", "2026-12-05")).toMatchObject({ startDate: "2026-11-30", endDate: "2026-12-07", previousAnchor: "2026-11-23", nextAnchor: "2026-12-07", days: 7 });
    expect(historyPeriod("week", "2026-11-30")!.startDate).toBe("2026-11-30");
    expect(historyPeriod("month", "2024-02-10")).toMatchObject({ startDate: "2024-02-01", endDate: "2024-03-01", previousAnchor: "2024-01-01", resolution: "day", days: 29 });
    expect(historyPeriod("month", "2026-01-31")!.previousAnchor).toBe("2025-12-01");
    expect(historyPeriod("year", "2026-12-05")).toMatchObject({ startDate: "2026-01-01", endDate: "2027-01-01", previousAnchor: "2025-01-01", nextAnchor: "2027-01-01", days: 365 });
  });

  it("refuses anything but a calendar day", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "05/12/2026", "2026-12-5", "", "1969-12-31"]) {
      expect(parseDay(bad)).toBeNull();
      expect(historyPeriod("day", bad)).toBeNull();
    }
  });
});

describe("heatingShare", () => {
  it("is mean power over full power, within [0, 1], null without readings", () => {
    expect(heatingShare(250 * 12, 500 * 12)).toBe(0.5);
    expect(heatingShare(0, 6000)).toBe(0);
    expect(heatingShare(7000, 6000)).toBe(1);
    expect(heatingShare(0, 0)).toBeNull();
  });
});
