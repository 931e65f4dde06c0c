import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

const db = useTestDb();

describe("fleet router", () => {
  it("totals the whole fleet", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const totals = await api.fleet.totals();
    expect(totals).toMatchObject({ sites: 3, buildings: 4, dwellings: 162, radiators: 694, customers: 2, landlords: 3 });
    // 300 × QR-500 + 346 × QR-650 + 36 × QR-500 + 12 × DB-3000
    expect(totals.cores).toBe(336 * 16 + 346 * 24 + 12 * 96);
    expect(totals.maxPowerW).toBe(336 * 500 + 346 * 650 + 12 * 3000);
  });

  it("lists sites with the all-year heat sink among them", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const sites = await api.fleet.sites();
    expect(sites.find((s) => s.kind === "all_year_heat_sink")).toMatchObject({ radiatorCount: 12, dwellingCount: 0 });
    expect(sites.reduce((n, s) => n + s.radiatorCount, 0)).toBe(694);
  });
});
