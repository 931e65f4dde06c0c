import { describe, expect, it } from "vitest";
import { localMonthStart } from "./seed";

describe("the demo enrolment's date", () => {
  it("is 00:00 site-local on the 1st of the month two months back, across daylight saving and years", () => {
    expect(localMonthStart(new Date("2026-12-15T12:00:00Z"), "Europe/Paris", 2).toISOString()).toBe("2026-09-30T22:00:00.000Z");
    // 00:30 on 1 April in Paris is still 31 March in UTC: the site's calendar decides.
    expect(localMonthStart(new Date("2026-03-31T22:30:00Z"), "Europe/Paris", 2).toISOString()).toBe("2026-01-31T23:00:00.000Z");
    expect(localMonthStart(new Date("2027-01-10T08:00:00Z"), "Europe/Paris", 2).toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(localMonthStart(new Date("2026-06-01T12:00:00Z"), "America/New_York", 0).toISOString()).toBe("2026-06-01T04:00:00.000Z");
  });
});
