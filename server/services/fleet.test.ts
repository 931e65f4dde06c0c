import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildings, gatewayCredentials, gateways, meterAnomalies, radiators, radiatorStates, rooms } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { authenticateGateway } from "./gateway-credentials";
import { gatewayServesRoom } from "@/server/domain/fleet";
import { useTestDb, userIdByEmail } from "@/server/test/db";
import {
  fleetTotals,
  getGateway,
  issueCredential,
  listGateways,
  listHardwareModels,
  listMeterAnomalies,
  listSites,
  registerGateway,
  registerRadiator,
  revokeCredential,
  servedRoomsWhere,
} from "./fleet";

const db = useTestDb();
const unknownId = "00000000-0000-4000-8000-000000000000";

async function gatewayBySerial(serial: string) {
  const [row] = await db.select().from(gateways).where(eq(gateways.serial, serial));
  if (!row) throw new Error(`no seeded gateway ${serial}`);
  return row;
}

async function buildingByName(name: string) {
  const [row] = await db.select().from(buildings).where(eq(buildings.name, name));
  if (!row) throw new Error(`no seeded building ${name}`);
  return row;
}

/** Runs `work` in a transaction that is always rolled back, for rows the seed lacks. */
async function rolledBack(work: (tx: Tx) => Promise<void>) {
  const rollback = new Error("rollback");
  await db
    .transaction(async (tx) => {
      await work(tx);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
}

describe("fleet: the whole fleet's figures", () => {
  it("totals the whole fleet", async () => {
    const totals = await fleetTotals(db);
    expect(totals).toMatchObject({ sites: 3, buildings: 4, dwellings: 162, radiators: 694, customers: 2, landlords: 3 });
    // 300 × QR-500 + 346 × QR-650 + 36 × QR-500 + 12 × DB-3000
    expect(totals.cores).toBe(336 * 16 + 346 * 24 + 12 * 96);
    expect(totals.maxPowerW).toBe(336 * 500 + 346 * 650 + 12 * 3000);
  });

  it("lists sites with the all-year heat sink among them", async () => {
    const sites = await listSites(db);
    expect(sites.find((s) => s.kind === "all_year_heat_sink")).toMatchObject({ radiatorCount: 12, dwellingCount: 0 });
    expect(sites.reduce((n, s) => n + s.radiatorCount, 0)).toBe(694);
  });

  it("pages gateways and searches them literally", async () => {
    const found = await listGateways(db, { search: "PAR-A-204", page: 1, pageSize: 50 });
    expect(found).toMatchObject({ total: 1, rows: [{ serial: "QBOX-PAR-A-204", dwellingLabel: "A-204", siteName: "Résidence Balard" }] });
    // The building's name is searched too.
    expect((await listGateways(db, { search: "jardin", page: 1, pageSize: 50 })).rows.map((r) => r.serial)).toContain("QBOX-BDX-JARDIN");
    const page = await listGateways(db, { search: "", page: 2, pageSize: 10 });
    expect(page.rows).toHaveLength(10);
    expect(page.total).toBeGreaterThanOrEqual(103);
    // Past the last page: no rows, the same total.
    expect(await listGateways(db, { search: "", page: 1000, pageSize: 10 })).toEqual({ rows: [], total: page.total });
    // % and _ are not wildcards.
    expect((await listGateways(db, { search: "%", page: 1, pageSize: 10 })).total).toBe(0);
    expect((await listGateways(db, { search: "QBOX_PAR", page: 1, pageSize: 10 })).total).toBe(0);
  });
});

describe("fleet: which rooms a gateway serves", () => {
  it("offers a flat gateway its flat's rooms, and a building gateway every room of its building", async () => {
    const flat = await getGateway(db, { gatewayId: (await gatewayBySerial("QBOX-PAR-A-204")).id });
    expect(flat.roomOptions).toHaveLength(3);
    expect(new Set(flat.roomOptions.map((r) => r.dwellingLabel))).toEqual(new Set(["A-204"]));
    const building = await getGateway(db, { gatewayId: (await gatewayBySerial("QBOX-BDX-JARDIN")).id });
    expect(building.roomOptions).toHaveLength(36);
  });

  it("offers exactly the rooms the domain rule says, for every gateway", async () => {
    await rolledBack(async (tx) => {
      // What the seed lacks, so that each part of the rule is exercised: a plant room beside flats, a building
      // gateway over them, and a room whose flat belongs to another building.
      const a204 = await gatewayBySerial("QBOX-PAR-A-204");
      const pool = await buildingByName("Piscine");
      await tx.insert(rooms).values([
        { buildingId: a204.buildingId, dwellingId: null, name: "Local technique", areaM2: 8 },
        { buildingId: pool.id, dwellingId: a204.dwellingId, name: "Mislaid room", areaM2: 8 },
      ]);
      await tx.insert(gateways).values({ buildingId: a204.buildingId, serial: "GW-FLEETSVC-RULE", firmwareVersion: "2.5.0" });

      const allRooms = await tx.select({ id: rooms.id, buildingId: rooms.buildingId, dwellingId: rooms.dwellingId }).from(rooms);
      const allGateways = await tx.select({ id: gateways.id, buildingId: gateways.buildingId, dwellingId: gateways.dwellingId }).from(gateways);
      let served = 0;
      for (const gateway of allGateways) {
        const bySql = await tx.select({ id: rooms.id }).from(rooms).where(servedRoomsWhere(gateway));
        const byRule = allRooms.filter((room) => gatewayServesRoom(gateway, room));
        expect(bySql.map((r) => r.id).sort(), `gateway ${gateway.id}`).toEqual(byRule.map((r) => r.id).sort());
        served += byRule.length;
      }
      // Every room of a flat with a gateway, twice over where a building gateway covers it too.
      expect(served).toBeGreaterThan(allRooms.length);
    });
  });
});

describe("fleet: registering gateways and radiators", () => {
  const cleanup = async () => {
    await db.delete(radiators).where(like(radiators.serial, "QRAD-FLEETSVC-%"));
    await db.delete(gateways).where(like(gateways.serial, "GW-FLEETSVC-%"));
  };
  beforeAll(cleanup);
  afterAll(cleanup);

  it("places a gateway in a building or one of its flats", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const inBuilding = await registerGateway(db, { buildingId: a204.buildingId, serial: "GW-FLEETSVC-1", firmwareVersion: "2.5.0" });
    expect(inBuilding.serial).toBe("GW-FLEETSVC-1");
    expect((await getGateway(db, { gatewayId: inBuilding.id })).gateway).toMatchObject({ buildingId: a204.buildingId, dwellingId: null });
    const inFlat = await registerGateway(db, {
      buildingId: a204.buildingId,
      dwellingLabel: "A-204",
      serial: "GW-FLEETSVC-2",
      firmwareVersion: "2.5.0",
    });
    expect((await getGateway(db, { gatewayId: inFlat.id })).gateway).toMatchObject({ dwellingId: a204.dwellingId, dwellingLabel: "A-204" });
  });

  it("refuses an unknown building, a flat not in the building, and a serial twice", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const pool = await buildingByName("Piscine");
    await expect(registerGateway(db, { buildingId: unknownId, serial: "GW-FLEETSVC-3", firmwareVersion: "2.5.0" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Building",
    });
    // A-204 is a flat of Bâtiment A, not of the pool.
    await expect(
      registerGateway(db, { buildingId: pool.id, dwellingLabel: "A-204", serial: "GW-FLEETSVC-3", firmwareVersion: "2.5.0" }),
    ).rejects.toMatchObject({ kind: "invalid-input", field: "dwellingLabel", message: 'No dwelling "A-204" in this building.' });
    await expect(
      registerGateway(db, { buildingId: a204.buildingId, serial: "QBOX-PAR-A-204", firmwareVersion: "2.5.0" }),
    ).rejects.toMatchObject({ kind: "conflict", message: "A gateway with serial QBOX-PAR-A-204 already exists." });
    expect(await db.select().from(gateways).where(eq(gateways.serial, "GW-FLEETSVC-3"))).toEqual([]);
  });

  it("installs a radiator only in a room its gateway serves, of a known model, with a new serial", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const a205 = await gatewayBySerial("QBOX-PAR-A-205");
    const [roomOfA204] = (await getGateway(db, { gatewayId: a204.id })).roomOptions;
    const [roomOfA205] = (await getGateway(db, { gatewayId: a205.id })).roomOptions;
    const [model] = await listHardwareModels(db);
    const radiator = { gatewayId: a204.id, roomId: roomOfA204!.id, hardwareModelId: model!.id, installedOn: "2026-11-01" };

    expect(await registerRadiator(db, { ...radiator, serial: "QRAD-FLEETSVC-1" })).toMatchObject({ serial: "QRAD-FLEETSVC-1" });
    await expect(registerRadiator(db, { ...radiator, gatewayId: unknownId, serial: "QRAD-FLEETSVC-2" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Gateway",
    });
    for (const roomId of [roomOfA205!.id, unknownId]) {
      await expect(registerRadiator(db, { ...radiator, roomId, serial: "QRAD-FLEETSVC-2" })).rejects.toMatchObject({
        kind: "invalid-input",
        field: "roomId",
        message: "This room is not served by this gateway.",
      });
    }
    await expect(registerRadiator(db, { ...radiator, hardwareModelId: unknownId, serial: "QRAD-FLEETSVC-2" })).rejects.toMatchObject({
      kind: "invalid-input",
      field: "hardwareModelId",
    });
    await expect(registerRadiator(db, { ...radiator, serial: "QRAD-FLEETSVC-1" })).rejects.toMatchObject({
      kind: "conflict",
      message: "A radiator with serial QRAD-FLEETSVC-1 already exists.",
    });
    expect(await db.select().from(radiators).where(eq(radiators.serial, "QRAD-FLEETSVC-2"))).toEqual([]);

    // A building gateway serves the flats of its building.
    const overBuilding = await registerGateway(db, { buildingId: a204.buildingId, serial: "GW-FLEETSVC-4", firmwareVersion: "2.5.0" });
    const placed = await registerRadiator(db, { ...radiator, gatewayId: overBuilding.id, roomId: roomOfA205!.id, serial: "QRAD-FLEETSVC-3" });
    expect(placed.serial).toBe("QRAD-FLEETSVC-3");
  });

  it("shows each radiator of a gateway with its model and what it last reported", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const seeded = (await getGateway(db, { gatewayId: a204.id })).radiators.find((r) => r.serial.startsWith("QRAD-PAR-"))!;
    // A radiator that never reported has no live state yet; its model's cores are known.
    expect(seeded).toMatchObject({ model: "Q.rad QR-500", cores: 16, lastReadingAt: null, roomTempC: null, powerW: null, coresActive: null });
    await db.insert(radiatorStates).values({
      radiatorId: seeded.id,
      lastReadingAt: new Date("2026-11-21T08:00:00Z"),
      roomTempC: 19.5,
      setpointC: 20,
      powerW: 420,
      coresActive: 7,
      coresWanted: 7,
      coresAssigned: 3,
    });
    try {
      const live = (await getGateway(db, { gatewayId: a204.id })).radiators.find((r) => r.id === seeded.id);
      expect(live).toMatchObject({ roomTempC: 19.5, setpointC: 20, powerW: 420, coresActive: 7, coresWanted: 7, coresAssigned: 3 });
    } finally {
      await db.delete(radiatorStates).where(eq(radiatorStates.radiatorId, seeded.id));
    }
    await expect(getGateway(db, { gatewayId: unknownId })).rejects.toMatchObject({ kind: "not-found", what: "Gateway" });
  });
});

describe("fleet: gateway credentials", () => {
  const cleanup = () => db.delete(gateways).where(like(gateways.serial, "GW-FLEETSVC-CRED-%"));
  beforeAll(cleanup);
  afterAll(cleanup);

  it("issues a credential shown once and stored hashed, then revokes it", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const gateway = { buildingId: a204.buildingId, serial: "GW-FLEETSVC-CRED-1", firmwareVersion: "2.5.0" };
    const { id: gatewayId } = await registerGateway(db, gateway);
    const staffId = await userIdByEmail(db, "staff@hearth.test");
    const { token, credentialId } = await issueCredential(db, { gatewayId, createdByUserId: staffId });
    expect(await authenticateGateway(db, `Bearer ${token}`)).toMatchObject({ gatewayId });
    const [stored] = await db.select().from(gatewayCredentials).where(eq(gatewayCredentials.id, credentialId));
    expect(stored).toMatchObject({ gatewayId, createdByUserId: staffId, revokedAt: null });
    // hgw_<prefix>_<secret>; the secret is base64url and may itself hold underscores.
    const secret = token.slice("hgw_".length + 13);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await getGateway(db, { gatewayId }))).not.toContain(secret);

    const now = new Date("2026-11-21T09:00:00Z");
    expect(await revokeCredential(db, { credentialId, now })).toEqual({ revoked: true });
    expect(await revokeCredential(db, { credentialId, now })).toEqual({ revoked: false });
    expect(await authenticateGateway(db, `Bearer ${token}`)).toBeNull();
    expect((await getGateway(db, { gatewayId })).credentials).toMatchObject([{ id: credentialId, revokedAt: now }]);
  });

  it("finds no credential of an unknown gateway to issue or revoke", async () => {
    await expect(issueCredential(db, { gatewayId: unknownId, createdByUserId: null })).rejects.toMatchObject({
      kind: "not-found",
      what: "Gateway",
    });
    await expect(revokeCredential(db, { credentialId: unknownId, now: new Date() })).rejects.toMatchObject({
      kind: "not-found",
      what: "Credential",
    });
  });
});

describe("fleet: meter anomalies", () => {
  it("lists the open anomalies of a gateway's radiators, the latest first, a page at a time", async () => {
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const a209 = await gatewayBySerial("QBOX-PAR-A-209");
    const mine = await db.select({ id: radiators.id, serial: radiators.serial }).from(radiators).where(eq(radiators.gatewayId, a204.id)).orderBy(radiators.serial);
    const [theirs] = await db.select({ id: radiators.id }).from(radiators).where(eq(radiators.gatewayId, a209.id));
    const anomaly = (radiatorId: string, endIso: string, deltaWh: number) => ({
      radiatorId,
      periodStart: new Date(Date.parse(endIso) - 60_000),
      periodEnd: new Date(endIso),
      counterBeforeWh: 1000,
      counterAfterWh: 1000 + deltaWh,
      deltaWh,
      maxPlausibleWh: 14,
      maxPowerW: 500,
      reason: "exceeds_hardware_power" as const,
      detectedAt: new Date(endIso),
    });
    await rolledBack(async (tx) => {
      await tx.insert(meterAnomalies).values([
        anomaly(mine[0]!.id, "2026-11-21T08:00:00Z", 50_000),
        anomaly(mine[1]!.id, "2026-11-21T09:00:00Z", 70_000),
        { ...anomaly(mine[0]!.id, "2026-11-21T10:00:00Z", 90_000), resolvedAt: new Date("2026-11-21T11:00:00Z"), resolution: "rejected" as const },
        anomaly(theirs!.id, "2026-11-21T09:30:00Z", 10_000),
      ]);
      const first = await listMeterAnomalies(tx, { gatewayId: a204.id, page: 1, pageSize: 1 });
      expect(first.total).toBe(2); // the resolved one and the other gateway's are not listed
      expect(first.rows).toEqual([
        expect.objectContaining({ radiatorSerial: mine[1]!.serial, deltaWh: 70_000, maxPlausibleWh: 14, reason: "exceeds_hardware_power" }),
      ]);
      const second = await listMeterAnomalies(tx, { gatewayId: a204.id, page: 2, pageSize: 1 });
      expect(second.rows.map((r) => [r.radiatorSerial, r.deltaWh, r.periodEnd])).toEqual([
        [mine[0]!.serial, 50_000, new Date("2026-11-21T08:00:00Z")],
      ]);
      await expect(listMeterAnomalies(tx, { gatewayId: unknownId, page: 1, pageSize: 10 })).rejects.toMatchObject({ kind: "not-found" });
    });
  });
});
