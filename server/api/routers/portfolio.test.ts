import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

const db = useTestDb();

describe("portfolio router", () => {
  it("lists the Paris landlord's building with its dwellings, radiators and gateways", async () => {
    const api = await callerAs(db, "landlord@hearth.test");
    const buildings = await api.portfolio.buildings();
    expect(buildings).toHaveLength(1);
    expect(buildings[0]).toMatchObject({ city: "Paris", dwellingCount: 100, radiatorCount: 300, gatewayCount: 100, enrolledResidentCount: 1 });
  });

  it("lists both Gironde buildings", async () => {
    const api = await callerAs(db, "landlord2@hearth.test");
    const buildings = await api.portfolio.buildings();
    expect(buildings.map((b) => [b.dwellingCount, b.radiatorCount]).sort()).toEqual([
      [12, 36],
      [50, 346],
    ]);
  });

  it("details a building's dwellings", async () => {
    const api = await callerAs(db, "landlord@hearth.test");
    const [first] = await api.portfolio.buildings();
    const { building, dwellings } = await api.portfolio.building({ buildingId: first!.id });
    expect(building.climateZone).toBe("H1a");
    expect(dwellings).toHaveLength(100);
    expect(dwellings.reduce((n, d) => n + d.radiatorCount, 0)).toBe(300);
    expect(dwellings.filter((d) => d.residentEnrolled)).toHaveLength(1);
  });

  it("refuses a malformed id with BAD_REQUEST and an unknown one with NOT_FOUND", async () => {
    const api = await callerAs(db, "landlord@hearth.test");
    await expect(api.portfolio.building({ buildingId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.portfolio.building({ buildingId: "00000000-0000-4000-8000-000000000000" })).rejects.toBeInstanceOf(TRPCError);
  });
});
