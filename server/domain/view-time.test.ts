import { describe, expect, it } from "vitest";
import { countOf, formatCalendarDay, formatViewDate, formatViewDateTime, formatViewTime } from "./view-time";

describe("times on the pages", () => {
  it("writes every instant in the operator's zone, labelled, whatever the machine's zone", () => {
    // 15:17 UTC is 16:17 in Paris in winter, 17:17 in summer.
    expect(formatViewDateTime(new Date("2026-12-04T15:17:00Z"))).toBe("4 Dec 2026, 16:17 CET");
    expect(formatViewDateTime(new Date("2026-07-04T15:17:00Z"))).toBe("4 Jul 2026, 17:17 CEST");
    expect(formatViewTime(new Date("2026-12-04T14:18:55Z"))).toBe("15:18:55 CET");
    // Late evening UTC is already the next day in Paris.
    expect(formatViewDate(new Date("2026-12-04T23:30:00Z"))).toBe("5 Dec 2026");
  });

  it("writes every instant in a zone it is given, labelled with that zone", () => {
    // en-GB names American zones by their offset from GMT.
    expect(formatViewDateTime(new Date("2026-12-04T15:17:00Z"), "America/New_York")).toBe("4 Dec 2026, 10:17 GMT-5");
    expect(formatViewTime(new Date("2026-07-04T15:17:00Z"), "America/New_York")).toBe("11:17:00 GMT-4");
    expect(formatViewTime(new Date("2026-12-04T14:18:55Z"), "Europe/London")).toBe("14:18:55 GMT");
    // Still the evening of the 4th in New York when Paris is on the 5th.
    expect(formatViewDate(new Date("2026-12-04T23:30:00Z"), "America/New_York")).toBe("4 Dec 2026");
    // The default zone's formatters are not disturbed by another zone's.
    expect(formatViewTime(new Date("2026-12-04T14:18:55Z"))).toBe("15:18:55 CET");
  });

  it("writes a calendar day in the same words as a date, on the same day", () => {
    expect(formatCalendarDay("2023-05-04")).toBe("4 May 2023");
    expect(formatCalendarDay("2026-12-31")).toBe("31 Dec 2026");
    expect(formatCalendarDay("not a day")).toBe("not a day");
  });
});

describe("countOf", () => {
  it("agrees the noun with the count", () => {
    expect(countOf(1, "building")).toBe("1 building");
    expect(countOf(0, "building")).toBe("0 buildings");
    expect(countOf(2, "dwelling")).toBe("2 dwellings");
    expect(countOf(1_200, "radiator")).toBe("1,200 radiators");
    expect(countOf(1, "retry", "retries")).toBe("1 retry");
    expect(countOf(3, "retry", "retries")).toBe("3 retries");
  });
});
