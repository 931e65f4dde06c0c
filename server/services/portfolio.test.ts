import { describe, expect, it } from "vitest";
import { organizationIdByName, useTestDb } from "@/server/test/db";
import { getBuilding, listBuildings } from "./portfolio";

const db = useTestDb();

// The landlords of landlord@hearth.test and landlord2@hearth.test.
const paris = () => organizationIdByName(db, "Paris Habitat Ouest");
const gironde = () => organizationIdByName(db, "Gironde Logis");

describe("portfolio", () => {
  it("lists the Paris landlord's building with its dwellings, radiators, gateways and residents", async () => {
    const buildings = await listBuildings(db, { organizationId: await paris() });
    expect(buildings).toHaveLength(1);
    expect(buildings[0]).toMatchObject({ city: "Paris", dwellingCount: 100, radiatorCount: 300, gatewayCount: 100, enrolledResidentCount: 1 });
  });

  it("lists both Gironde buildings", async () => {
    const buildings = await listBuildings(db, { organizationId: await gironde() });
    expect(buildings.map((b) => [b.dwellingCount, b.radiatorCount]).sort()).toEqual([
      [12, 36],
      [50, 346],
    ]);
  });

  it("details a building's dwellings", async () => {
    const organizationId = await paris();
    const [first] = await listBuildings(db, { organizationId });
    const { building, dwellings } = await getBuilding(db, { organizationId, buildingId: first!.id });
    expect(building).toMatchObject({ id: first!.id, climateZone: "H1a" });
    expect(dwellings).toHaveLength(100);
    expect(dwellings.reduce((n, d) => n + d.radiatorCount, 0)).toBe(300);
    expect(dwellings.filter((d) => d.residentEnrolled)).toHaveLength(1);
  });

  it("finds no building of another landlord, nor an unknown one", async () => {
    const [parisBuilding] = await listBuildings(db, { organizationId: await paris() });
    const organizationId = await gironde();
    await expect(getBuilding(db, { organizationId, buildingId: parisBuilding!.id })).rejects.toMatchObject({
      kind: "not-found",
      what: "Building",
    });
    await expect(getBuilding(db, { organizationId, buildingId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Building",
    });
  });
});
