import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dwellings, gateways, hardwareModels, radiators, rooms, telemetryHourly } from "@/server/db/schema";
import { resetEngine, useTestDb } from "@/server/test/db";
import { buildingComparison, COMPARISON_MIN_DWELLINGS } from "./comparison";
import { rollUpTelemetryDays } from "./telemetry-daily";

const db = useTestDb();
const HOUR_MS = 3_600_000;
const WH_PER_RADIATOR_HOUR = 400;

async function dwellingId(label: string) {
  const [row] = await db.select({ id: dwellings.id }).from(dwellings).where(eq(dwellings.label, label));
  return row!.id;
}

/** The radiators of some flats, with their rooms, and the flats' floor area. */
async function radiatorsOf(labels: string[]) {
  const rows = await db
    .select({ id: radiators.id, roomId: rooms.id, roomName: rooms.name })
    .from(radiators)
    .innerJoin(rooms, eq(rooms.id, radiators.roomId))
    .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
    .where(inArray(dwellings.label, labels))
    .orderBy(rooms.name);
  const [area] = await db
    .select({ areaM2: sql<number>`sum(${rooms.areaM2})::float8` })
    .from(rooms)
    .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
    .where(inArray(dwellings.label, labels));
  return { radiators: rows, areaM2: area!.areaM2 };
}

type Radiator = { id: string; roomName: string };

/** Hourly rollups of every radiator of a flat: `hours` hours from `startIso`, the room at `tempC(room)`. */
async function report(label: string, startIso: string, hours: number, tempC: (roomName: string) => number, energyWh = WH_PER_RADIATOR_HOUR) {
  await reportRadiators((await radiatorsOf([label])).radiators, startIso, hours, tempC, energyWh);
}

async function reportRadiators(rows: Radiator[], startIso: string, hours: number, tempC: (roomName: string) => number, energyWh: number) {
  const values = rows.flatMap((r) =>
    Array.from({ length: hours }, (_, h) => ({
      radiatorId: r.id,
      hourStart: new Date(Date.parse(startIso) + h * HOUR_MS),
      readingCount: 12,
      roomTempSumC: 12 * tempC(r.roomName),
      setpointSumC: 12 * 20,
      powerSumW: 12 * energyWh,
      maxPowerW: energyWh,
      coresActiveSum: 0,
      coresWantedSum: 0,
      energyWh,
      idleEnergyWh: energyWh,
    })),
  );
  await db.insert(telemetryHourly).values(values);
  // The comparison reads the daily rollups, which the engine's loop keeps.
  await rollUpTelemetryDays(db);
}

// Bâtiment A in Paris (the resident's A-204 and four neighbours), and Bâtiment Quai in Bordeaux.
const NEIGHBOURS = { "A-201": 18, "A-202": 19, "A-203": 21, "A-205": 22 };
// A-204's rooms: two bedrooms and the living room.
const HOME_ROOMS: Record<string, number> = { "Chambre 1": 19, "Chambre 2": 20, Séjour: 21.5 };
const PLANT_ROOM = "Local technique (comparison test)";
const PLANT_SERIAL = "QRAD-COMPARISON-PLANT";

beforeAll(async () => {
  await resetEngine(db);
  // November 2025 in Paris runs from 2025-10-31T23:00Z to 2025-11-30T23:00Z.
  for (const [label, tempC] of Object.entries(NEIGHBOURS)) await report(label, "2025-11-10T08:00:00Z", 3, () => tempC);
  await report("A-204", "2025-10-31T23:00:00Z", 2, (room) => HOME_ROOMS[room] ?? Number.NaN);
  // Just outside the month on either side, in local time: never counted.
  await report("A-204", "2025-10-31T22:00:00Z", 1, () => 30, 9_999);
  await report("A-204", "2025-11-30T23:00:00Z", 1, () => 30, 9_999);
  // Another building, much warmer and hungrier, in the same month.
  for (const label of ["Q-301", "Q-302", "Q-303", "Q-304", "Q-305", "Q-306"]) await report(label, "2025-11-10T08:00:00Z", 2, () => 30, 5_000);
  // A plant room of Bâtiment A, outside every flat: its energy is no dwelling's.
  const [gateway] = await db.select({ id: gateways.id, buildingId: gateways.buildingId }).from(gateways).where(eq(gateways.serial, "QBOX-PAR-A-204"));
  const [model] = await db.select({ id: hardwareModels.id }).from(hardwareModels).limit(1);
  const [plant] = await db.insert(rooms).values({ buildingId: gateway!.buildingId, name: PLANT_ROOM, areaM2: 10 }).returning({ id: rooms.id });
  const [plantRadiator] = await db
    .insert(radiators)
    .values({ serial: PLANT_SERIAL, gatewayId: gateway!.id, roomId: plant!.id, hardwareModelId: model!.id, installedOn: "2023-01-01" })
    .returning({ id: radiators.id });
  await reportRadiators([{ id: plantRadiator!.id, roomName: PLANT_ROOM }], "2025-11-10T08:00:00Z", 2, () => 30, 9_999);
  // December: only four of Bâtiment A's flats report.
  for (const label of ["A-201", "A-202", "A-203", "A-204"]) await report(label, "2025-12-05T08:00:00Z", 2, () => 20);
});

afterAll(async () => {
  await resetEngine(db);
  await db.delete(radiators).where(eq(radiators.serial, PLANT_SERIAL));
  await db.delete(rooms).where(eq(rooms.name, PLANT_ROOM));
});

describe("buildingComparison", () => {
  it("knows the home's own room temperature and energy per m², over the site's local month", async () => {
    const mine = await dwellingId("A-204");
    const { radiators: rows, areaM2 } = await radiatorsOf(["A-204"]);
    expect(new Set(rows.map((r) => r.roomName))).toEqual(new Set(Object.keys(HOME_ROOMS)));
    const answer = await buildingComparison(db, { dwellingId: mine, month: "2025-11" });
    expect(answer).toMatchObject({
      month: "2025-11",
      timeZone: "Europe/Paris",
      from: new Date("2025-10-31T23:00:00Z"),
      to: new Date("2025-11-30T23:00:00Z"),
    });
    // Each room's hourly mean counts once: (19 + 20 + 21.5) / 3.
    expect(answer.home.roomTempC).toBe(20.2);
    expect(answer.home.energyWhPerM2).toBe(Math.round((rows.length * 2 * WH_PER_RADIATOR_HOUR) / areaM2));
  });

  it("averages its building's flats once five of them report, with no plant room and no other building mixed in", async () => {
    const answer = await buildingComparison(db, { dwellingId: await dwellingId("A-204"), month: "2025-11" });
    const five = await radiatorsOf(["A-201", "A-202", "A-203", "A-204", "A-205"]);
    const homeTempC = (19 + 20 + 21.5) / 3;
    const hours = (label: string) => (label === "A-204" ? 2 : 3);
    let totalWh = 0;
    for (const label of ["A-201", "A-202", "A-203", "A-204", "A-205"]) {
      totalWh += (await radiatorsOf([label])).radiators.length * hours(label) * WH_PER_RADIATOR_HOUR;
    }
    expect(answer.contributingDwellings).toBe(5);
    expect(answer.building).toEqual({
      roomTempC: Math.round(((18 + 19 + 21 + 22 + homeTempC) / 5) * 10) / 10,
      energyWhPerM2: Math.round(totalWh / five.areaM2),
      hiddenReason: null,
    });

    // Bâtiment Quai's residents see theirs: six warm flats, none of Bâtiment A.
    const quai = await buildingComparison(db, { dwellingId: await dwellingId("Q-305"), month: "2025-11" });
    expect(quai.contributingDwellings).toBe(6);
    expect(quai.building.roomTempC).toBe(30);
    expect(quai.home.roomTempC).toBe(30);
  });

  it(`hides the building's figures below ${COMPARISON_MIN_DWELLINGS} reporting flats, and still shows the home's`, async () => {
    const answer = await buildingComparison(db, { dwellingId: await dwellingId("A-204"), month: "2025-12" });
    expect(answer.contributingDwellings).toBe(4);
    expect(answer.building).toEqual({ roomTempC: null, energyWhPerM2: null, hiddenReason: "too-few-dwellings" });
    // Two hours at 20 °C, and 1 December's first local hour at 30 °C (the hour November left out).
    expect(answer.home.roomTempC).toBe(Math.round(((20 + 20 + 30) / 3) * 10) / 10);
    expect(answer.home.energyWhPerM2).toBeGreaterThan(0);
    // A flat that did not report has no figures of its own.
    const silent = await buildingComparison(db, { dwellingId: await dwellingId("A-205"), month: "2025-12" });
    expect(silent).toMatchObject({ contributingDwellings: 4, home: { roomTempC: null, energyWhPerM2: null } });
  });

  it("refuses a malformed month, naming it, and finds no unknown home", async () => {
    const mine = await dwellingId("A-204");
    for (const month of ["2025-13", "2025-1", "25-11", "0000-01", "2025-11-01"]) {
      await expect(buildingComparison(db, { dwellingId: mine, month })).rejects.toMatchObject({ kind: "invalid-input", field: "month" });
    }
    await expect(buildingComparison(db, { dwellingId: "00000000-0000-4000-8000-000000000000", month: "2025-11" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Home",
    });
  });
});
