import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayCredentials, gateways, radiators, radiatorStates } from "@/server/db/schema";
import { authenticateGateway } from "@/server/device/credentials";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { fieldErrorsOf } from "../trpc";
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

describe("fleet router: gateways, radiators and credentials", () => {
  const cleanup = async () => {
    await db.delete(radiators).where(like(radiators.serial, "QRAD-FLEETTEST-%"));
    await db.delete(gateways).where(like(gateways.serial, "GW-FLEETTEST-%"));
  };
  beforeAll(cleanup);
  afterAll(cleanup);

  it("registers a gateway, refuses its serial twice, and finds it by search", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const [building] = await api.fleet.buildingOptions();
    const gateway = await api.fleet.registerGateway({ buildingId: building!.id, serial: "GW-FLEETTEST-1", firmwareVersion: "2.5.0" });
    await expect(
      api.fleet.registerGateway({ buildingId: building!.id, serial: "GW-FLEETTEST-1", firmwareVersion: "2.5.0" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const refused = await api.fleet
      .registerGateway({ buildingId: building!.id, serial: "bad serial!", firmwareVersion: "2.5.0" })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    // The message lands next to the field that is wrong.
    expect(refused instanceof TRPCError && refused.cause instanceof ZodError && fieldErrorsOf(refused.cause)).toEqual({
      serial: "Use letters, digits, dots, dashes and underscores.",
    });
    const found = await api.fleet.gateways({ search: "FLEETTEST" });
    expect(found).toMatchObject({ total: 1, rows: [{ id: gateway.id, radiatorCount: 0, activeCredentialCount: 0 }] });
    const page = await api.fleet.gateways({ pageSize: 10, page: 2 });
    expect(page.rows).toHaveLength(10);
    expect(page.total).toBeGreaterThanOrEqual(104);
    // Past the last page: no rows, the same total.
    const beyond = await api.fleet.gateways({ pageSize: 10, page: 1000 });
    expect(beyond).toEqual({ rows: [], total: page.total });
    // What a person types is searched literally.
    expect((await api.fleet.gateways({ search: "%" })).total).toBe(0);
    expect((await api.fleet.gateways({ search: "GW_FLEETTEST" })).total).toBe(0);
  });

  it("registers a radiator only in a room its gateway serves", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const { rows } = await api.fleet.gateways({ search: "QBOX-PAR-A-204" });
    const detail = await api.fleet.gateway({ gatewayId: rows[0]!.id });
    expect(detail.roomOptions).toHaveLength(3);
    // A radiator that never reported has no live state yet; its model's cores are known.
    expect(detail.radiators[0]).toMatchObject({ lastReadingAt: null, roomTempC: null, powerW: null, coresActive: null });
    expect(detail.radiators[0]!.cores).toBeGreaterThan(0);
    const [model] = await api.fleet.hardwareModels();
    const radiator = await api.fleet.registerRadiator({
      gatewayId: detail.gateway.id,
      roomId: detail.roomOptions[0]!.id,
      hardwareModelId: model!.id,
      serial: "QRAD-FLEETTEST-1",
      installedOn: "2026-11-01",
    });
    expect(radiator.serial).toBe("QRAD-FLEETTEST-1");
    // Once it reports, its live state shows on the gateway's page.
    const [registered] = await db.select({ id: radiators.id }).from(radiators).where(eq(radiators.serial, "QRAD-FLEETTEST-1"));
    await db.insert(radiatorStates).values({
      radiatorId: registered!.id,
      lastReadingAt: new Date("2026-11-21T08:00:00Z"),
      roomTempC: 19.5,
      setpointC: 20,
      powerW: 420,
      coresActive: 7,
      coresWanted: 7,
      coresAssigned: 3,
    });
    const live = (await api.fleet.gateway({ gatewayId: detail.gateway.id })).radiators.find((r) => r.serial === "QRAD-FLEETTEST-1");
    expect(live).toMatchObject({ roomTempC: 19.5, setpointC: 20, powerW: 420, coresActive: 7, coresWanted: 7, coresAssigned: 3 });
    const other = await api.fleet.gateways({ search: "QBOX-PAR-A-205" });
    const otherRoom = (await api.fleet.gateway({ gatewayId: other.rows[0]!.id })).roomOptions[0]!;
    await expect(
      api.fleet.registerRadiator({
        gatewayId: detail.gateway.id,
        roomId: otherRoom.id,
        hardwareModelId: model!.id,
        serial: "QRAD-FLEETTEST-2",
        installedOn: "2026-11-01",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This room is not served by this gateway." });
  });

  it("issues a credential shown once and stored hashed, then revokes it", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const { rows } = await api.fleet.gateways({ search: "QBOX-PAR-A-101" });
    const gatewayId = rows[0]!.id;
    const { token, credentialId } = await api.fleet.issueCredential({ gatewayId });
    expect(await authenticateGateway(db, `Bearer ${token}`)).toMatchObject({ gatewayId });
    const [stored] = await db.select().from(gatewayCredentials).where(eq(gatewayCredentials.id, credentialId));
    // hgw_<prefix>_<secret>; the secret is base64url and may itself hold underscores.
    const secret = token.slice("hgw_".length + 13);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const detail = await api.fleet.gateway({ gatewayId });
    expect(JSON.stringify(detail)).not.toContain(token);
    expect(await api.fleet.revokeCredential({ credentialId })).toMatchObject({ revoked: true });
    expect(await api.fleet.revokeCredential({ credentialId })).toMatchObject({ revoked: false });
    expect(await authenticateGateway(db, `Bearer ${token}`)).toBeNull();
  });
});
