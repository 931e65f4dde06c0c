import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { formRefusal } from "@/server/actions/form-state";
import { gatewayCredentials, gateways, hardwareModels, radiators, rooms } from "@/server/db/schema";
import { callerAs, useTestDb, userIdByEmail } from "@/server/test/db";
import { fieldErrorsOf } from "../trpc";

/** The fleet router's mapping: inputs parsed at the edge, the service's refusals as codes and form fields. */
const db = useTestDb();

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

const fieldErrors = (error: TRPCError) => (error.cause instanceof ZodError ? fieldErrorsOf(error.cause) : null);

async function gatewayBySerial(serial: string) {
  const [row] = await db.select().from(gateways).where(eq(gateways.serial, serial));
  return row!;
}

describe("fleet router", () => {
  const cleanup = async () => {
    await db.delete(radiators).where(like(radiators.serial, "QRAD-FLEETTEST-%"));
    await db.delete(gateways).where(like(gateways.serial, "GW-FLEETTEST-%"));
  };
  beforeAll(cleanup);
  afterAll(cleanup);

  it("refuses a malformed serial at the edge, next to its field", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const refused = await refusalOf(
      api.fleet.registerGateway({ buildingId: a204.buildingId, serial: "bad serial!", firmwareVersion: "2.5.0" }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(fieldErrors(refused)).toEqual({ serial: "Use letters, digits, dots, dashes and underscores." });
  });

  it("refuses control characters in searches and stored text, next to the field, and registers nothing", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const search = await refusalOf(api.fleet.gateways({ search: "a\u0000" }));
    expect(search.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors(search) ?? {})).toEqual(["search"]);
    const gateway = { buildingId: a204.buildingId, serial: "GW-FLEETTEST-NUL", firmwareVersion: "2.5.0" };
    for (const [field, input] of [
      ["firmwareVersion", { ...gateway, firmwareVersion: "2.5\u0000" }],
      ["dwellingLabel", { ...gateway, dwellingLabel: "A\u0000" }],
    ] as const) {
      const refused = await refusalOf(api.fleet.registerGateway(input));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(Object.keys(fieldErrors(refused) ?? {})).toEqual([field]);
    }
    expect(await db.select().from(gateways).where(eq(gateways.serial, "GW-FLEETTEST-NUL"))).toEqual([]);
  });

  it("says what is wrong with each field of the admin forms in plain words, all at once", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const gateway = fieldErrors(await refusalOf(api.fleet.registerGateway({ buildingId: "", dwellingLabel: "x".repeat(33), serial: "ab", firmwareVersion: "" })));
    expect(gateway).toEqual({
      buildingId: "Choose a building.",
      dwellingLabel: "A dwelling label has at most 32 characters.",
      serial: "A serial has at least 3 characters.",
      firmwareVersion: "Give the firmware version.",
    });
    const radiator = fieldErrors(
      await refusalOf(api.fleet.registerRadiator({ gatewayId: "", roomId: "x", hardwareModelId: "", serial: "QRAD-1", installedOn: "soon" })),
    );
    expect(radiator).toEqual({
      gatewayId: "Choose a gateway.",
      roomId: "Choose a room.",
      hardwareModelId: "Choose a hardware model.",
      installedOn: "Give the installation date as a date.",
    });
  });

  it("answers the service's refusals with their code, and the admin forms show them next to their fields", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const a205 = await gatewayBySerial("QBOX-PAR-A-205");
    const [roomOfA204] = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.dwellingId, a204.dwellingId!));
    const [roomOfA205] = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.dwellingId, a205.dwellingId!));
    const [model] = await db.select({ id: hardwareModels.id }).from(hardwareModels);
    const unknownId = "00000000-0000-4000-8000-000000000000";

    const noSuchFlat = await refusalOf(
      api.fleet.registerGateway({ buildingId: a204.buildingId, dwellingLabel: "Z-999", serial: "GW-FLEETTEST-1", firmwareVersion: "2.5.0" }),
    );
    expect(noSuchFlat.code).toBe("BAD_REQUEST");
    expect(formRefusal(noSuchFlat)).toEqual({
      error: "Check the highlighted fields.",
      fieldErrors: { dwellingLabel: 'No dwelling "Z-999" in this building.' },
    });

    const radiator = {
      gatewayId: a204.id,
      roomId: roomOfA204!.id,
      hardwareModelId: model!.id,
      serial: "QRAD-FLEETTEST-1",
      installedOn: "2026-11-01",
    };
    const notServed = await refusalOf(api.fleet.registerRadiator({ ...radiator, roomId: roomOfA205!.id }));
    expect(notServed.code).toBe("BAD_REQUEST");
    expect(formRefusal(notServed).fieldErrors).toEqual({ roomId: "This room is not served by this gateway." });
    const unknownModel = await refusalOf(api.fleet.registerRadiator({ ...radiator, hardwareModelId: unknownId }));
    expect(formRefusal(unknownModel).fieldErrors).toEqual({ hardwareModelId: "Unknown hardware model." });

    const duplicate = await refusalOf(
      api.fleet.registerGateway({ buildingId: a204.buildingId, serial: a204.serial, firmwareVersion: "2.5.0" }),
    );
    expect(duplicate.code).toBe("CONFLICT");
    // Beside the Serial field, where it can be fixed.
    expect(formRefusal(duplicate)).toEqual({
      error: "Check the highlighted fields.",
      fieldErrors: { serial: `A gateway with serial ${a204.serial} already exists.` },
    });

    const gone = await refusalOf(api.fleet.registerRadiator({ ...radiator, gatewayId: unknownId }));
    expect(gone).toMatchObject({ code: "NOT_FOUND", message: "Gateway not found." });
    expect(formRefusal(gone)).toEqual({ error: "This no longer exists: reload the page." });
    expect(await refusalOf(api.fleet.gateway({ gatewayId: unknownId }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusalOf(api.fleet.meterAnomalies({ gatewayId: unknownId }))).toMatchObject({ code: "NOT_FOUND" });
    const tooMany = await refusalOf(api.fleet.meterAnomalies({ gatewayId: a204.id, pageSize: 201 }));
    expect(tooMany.code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors(tooMany) ?? {})).toEqual(["pageSize"]);
    expect(await refusalOf(api.fleet.revokeCredential({ credentialId: unknownId }))).toMatchObject({
      code: "NOT_FOUND",
      message: "Credential not found.",
    });
  });

  it("records the staff member who issued a credential", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const a204 = await gatewayBySerial("QBOX-PAR-A-204");
    const gateway = { buildingId: a204.buildingId, serial: "GW-FLEETTEST-2", firmwareVersion: "2.5.0" };
    const { id: gatewayId } = await api.fleet.registerGateway(gateway);
    const { credentialId } = await api.fleet.issueCredential({ gatewayId });
    const [stored] = await db.select().from(gatewayCredentials).where(eq(gatewayCredentials.id, credentialId));
    expect(stored).toMatchObject({ gatewayId, createdByUserId: await userIdByEmail(db, "staff@hearth.test") });
  });
});
