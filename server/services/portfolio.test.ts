import { afterAll, describe, expect, it } from "vitest";
import { organizationIdByName, useTestDb, userIdByEmail } from "@/server/test/db";
import { RefundFixtures, residentStatements, TEST_DELIVERY_POINT, TEST_HOLDER, TEST_IBAN_MASKED } from "@/server/test/statement-fixtures";
import { dwellingOfResident } from "./home";
import { getBuilding, listBuildings } from "./portfolio";

const db = useTestDb();
const fixtures = new RefundFixtures(db);
afterAll(() => fixtures.cleanup());

// The landlords of landlord@hearth.test and landlord2@hearth.test.
const paris = () => organizationIdByName(db, "Paris Habitat Ouest");
const gironde = () => organizationIdByName(db, "Gironde Logis");

describe("portfolio", () => {
  it("lists the Paris landlord's building with its dwellings, radiators and gateways", async () => {
    const buildings = await listBuildings(db, { organizationId: await paris() });
    expect(buildings).toHaveLength(1);
    expect(buildings[0]).toMatchObject({ city: "Paris", dwellingCount: 100, radiatorCount: 300, gatewayCount: 100 });
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
  });

  it("counts dwellings enrolled for the refund and shows each one's enrolment month and refund totals, never its payee", async () => {
    const organizationId = await paris();
    const [before] = await listBuildings(db, { organizationId });
    const dwellingId = await dwellingOfResident(db, { userId: await userIdByEmail(db, "resident@hearth.test") });
    const enrolledBefore = (await getBuilding(db, { organizationId, buildingId: before!.id })).dwellings.find((d) => d.id === dwellingId)!.refundEnrolledSince;
    const made = await residentStatements(fixtures, dwellingId);
    // A second version of the same dwelling's details counts once.
    await fixtures.enrol(dwellingId, new Date("2025-06-01T08:00:00Z"));
    const [after] = await listBuildings(db, { organizationId });
    expect(after!.enrolledDwellingCount).toBe(before!.enrolledDwellingCount + (enrolledBefore ? 0 : 1));

    const { dwellings } = await getBuilding(db, { organizationId, buildingId: before!.id });
    const home = dwellings.find((d) => d.id === dwellingId)!;
    expect(home.refundEnrolledSince).toBe("2024-12");
    expect(home.refundStatements).toBeGreaterThanOrEqual(2);
    expect(home.refundAmountCents).toBeGreaterThanOrEqual(made.december.amountCents + made.february.amountCents);
    expect(home.refundPaidCents).toBeGreaterThanOrEqual(made.december.amountCents);
    const text = JSON.stringify(dwellings);
    for (const secret of [TEST_HOLDER, TEST_IBAN_MASKED, TEST_DELIVERY_POINT, "iban", "holder", "deliveryPoint"]) expect(text).not.toContain(secret);
    expect(dwellings.filter((d) => d.refundEnrolledSince === null).length).toBeGreaterThan(0);
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
