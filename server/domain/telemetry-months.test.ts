import { describe, expect, it } from "vitest";
import {
  DEFAULT_RAW_RETENTION_DAYS,
  isMonthExpired,
  monthStartMs,
  nextMonthMs,
  partitionMonthMs,
  partitionName,
  rawRetentionDays,
} from "./telemetry-months";

const at = (iso: string) => Date.parse(iso);

describe("telemetry months", () => {
  it("cuts UTC months and names their partitions", () => {
    expect(new Date(monthStartMs(at("2026-12-31T23:59:59.999Z"))).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(new Date(nextMonthMs(at("2026-12-01T00:00:00Z"))).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(partitionName(at("2027-01-01T00:00:00Z"))).toBe("telemetry_readings_202701");
    expect(partitionMonthMs("telemetry_readings_202701")).toBe(at("2027-01-01T00:00:00Z"));
    expect(partitionMonthMs("telemetry_readings_202713")).toBeNull();
    expect(partitionMonthMs("telemetry_readings")).toBeNull();
  });

  it("expires a month only when all of it is older than the retention", () => {
    const october = at("2026-10-01T00:00:00Z");
    // October ends on 1 November; 60 days later is 31 December.
    expect(isMonthExpired(october, at("2026-12-30T23:59:59Z"), 60)).toBe(false);
    expect(isMonthExpired(october, at("2026-12-31T00:00:00Z"), 60)).toBe(true);
  });

  it("reads the retention from the environment, refusing nonsense", () => {
    expect(rawRetentionDays(undefined)).toBe(DEFAULT_RAW_RETENTION_DAYS);
    expect(rawRetentionDays(" ")).toBe(DEFAULT_RAW_RETENTION_DAYS);
    expect(rawRetentionDays("90")).toBe(90);
    expect(() => rawRetentionDays("0")).toThrow(/HEARTH_RAW_RETENTION_DAYS/);
    expect(() => rawRetentionDays("2.5")).toThrow(/HEARTH_RAW_RETENTION_DAYS/);
  });
});
