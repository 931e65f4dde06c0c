import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gateways, heatingChanges, radiators, radiatorStates, roomHeating } from "@/server/db/schema";
import { initialHeating } from "@/server/domain/heating";
import { issueGatewayCredential } from "@/server/services/gateway-credentials";
import { heatingColumnsOf, heatingRoom, setHeatingMode, setHeatingProgramme, setHeatingTarget } from "@/server/services/heating";
import { dwellingOfResident } from "@/server/services/home";
import { leaveFleetAsSeeded, resetEngine, useTestDb, userIdByEmail } from "@/server/test/db";
import { handleDeviceRequest } from "./http";
import type { Reading, ReportResponse } from "./protocol";

/**
 * The residents' heating through the gateway protocol: the answer's setpoints are each room's
 * effective target, the radiators confirm them, and a change on a radiator's own thermostat
 * comes back as the room's.
 */
const db = useTestDb();

// The flat of resident@hearth.test: one gateway, three rooms with a radiator each.
const GATEWAY = "QBOX-PAR-A-204";
let token: string;
let gatewayId: string;
let resident: { userId: string; dwellingId: string };
let room: { id: string; serial: string; radiatorId: string };
let seq = 0;
let counter = 1000;

async function report(clock: Date, readings: Array<Partial<Reading> & { at: string }> = []): Promise<ReportResponse> {
  const body = {
    protocolVersion: 1,
    seq: ++seq,
    sentAt: clock.toISOString(),
    radiators: [
      {
        serial: room.serial,
        readings: readings.map((r) => ({
          roomTempC: 19,
          setpointC: 20,
          powerW: 200,
          energyCounterWh: (counter += 1),
          coresActive: 2,
          coresWanted: 2,
          ...r,
        })),
      },
    ],
    events: [],
  };
  const request = new Request("http://hearth.test/api/device/v1/report", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await handleDeviceRequest(request, db, { now: () => clock });
  expect(res.status).toBe(200);
  return (await res.json()) as ReportResponse;
}
const setpointOf = (answer: ReportResponse) => answer.setpoints.find((s) => s.radiatorSerial === room.serial)?.setpointC;
const stateOf = async () => (await db.select().from(radiatorStates).where(eq(radiatorStates.radiatorId, room.radiatorId)))[0];
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

beforeAll(async () => {
  const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.serial, GATEWAY));
  gatewayId = gateway!.id;
  token = (await issueGatewayCredential(db, { gatewayId, createdByUserId: null })).token;
  const userId = await userIdByEmail(db, "resident@hearth.test");
  resident = { userId, dwellingId: await dwellingOfResident(db, { userId }) };
  const [first] = await db
    .select({ id: radiators.roomId, serial: radiators.serial, radiatorId: radiators.id })
    .from(radiators)
    .where(eq(radiators.gatewayId, gatewayId))
    .orderBy(asc(radiators.serial))
    .limit(1);
  room = first!;
});

beforeEach(async () => {
  await resetEngine(db);
  await db.delete(heatingChanges);
  await db
    .update(roomHeating)
    .set(heatingColumnsOf(initialHeating("out_at_work")))
    .where(sql`${roomHeating.roomId} in (select id from rooms where dwelling_id = ${resident.dwellingId})`);
});

afterAll(async () => {
  await resetEngine(db);
  await db.delete(heatingChanges);
  await db
    .update(roomHeating)
    .set(heatingColumnsOf(initialHeating("out_at_work")))
    .where(sql`${roomHeating.roomId} in (select id from rooms where dwelling_id = ${resident.dwellingId})`);
  await leaveFleetAsSeeded(db, { gatewayIds: [gatewayId] });
});

describe("heating through the gateway protocol", () => {
  // Monday 7 December 2026, 10:00 in Paris: the out_at_work programme is at eco (17 °C) until 17:30.
  const t0 = new Date("2026-12-07T09:00:00Z");

  it("sends each radiator its room's effective target, and records it as sent once", async () => {
    const answer = await report(t0, [{ at: minutes(t0, -1).toISOString(), setpointC: 20 }]);
    expect(setpointOf(answer)).toBe(17);
    expect(answer.setpoints).toHaveLength(3); // every room of the flat has a programme
    expect(await stateOf()).toMatchObject({ targetSentC: 17, targetSentAt: t0, targetAppliedAt: null });
    // The same target again: not sent anew.
    await report(minutes(t0, 1));
    expect((await stateOf())!.targetSentAt).toEqual(t0);
  });

  it("sends no target for a room without heating of its own: its radiators' thermostats rule", async () => {
    const [saved] = await db.select().from(roomHeating).where(eq(roomHeating.roomId, room.id));
    await db.delete(roomHeating).where(eq(roomHeating.roomId, room.id));
    try {
      expect(setpointOf(await report(t0))).toBeUndefined();
    } finally {
      await db.insert(roomHeating).values(saved!);
    }
  });

  it("marks the target applied at the first reading showing it", async () => {
    await report(t0);
    const at = minutes(t0, 1);
    await report(minutes(t0, 2), [
      { at: at.toISOString(), setpointC: 17 },
      { at: minutes(t0, 2).toISOString(), setpointC: 17 },
    ]);
    expect((await stateOf())!.targetAppliedAt).toEqual(at);
    expect((await heatingRoom(db, { ...resident, roomId: room.id, now: minutes(t0, 2) })).status).toEqual({ kind: "applied", appliedAt: at });
    // A new target is waiting again until confirmed.
    await setHeatingMode(db, { ...resident, roomId: room.id, mode: "comfort", now: minutes(t0, 3) });
    expect(setpointOf(await report(minutes(t0, 4)))).toBe(20);
    expect(await stateOf()).toMatchObject({ targetSentC: 20, targetAppliedAt: null });
  });

  it("sends one target, the last, after a storm of changes between two reports", async () => {
    await setHeatingMode(db, { ...resident, roomId: room.id, mode: "comfort", now: t0 });
    for (let i = 0; i < 20; i++) {
      await setHeatingTarget(db, { ...resident, roomId: room.id, targetC: 18 + (i % 8) * 0.5, now: minutes(t0, i / 10) });
    }
    const answer = await report(minutes(t0, 5));
    expect(answer.setpoints.filter((s) => s.radiatorSerial === room.serial)).toEqual([{ radiatorSerial: room.serial, setpointC: 19.5 }]);
  });

  it("takes a change on the radiator's thermostat as the room's: an override until the next block, then sent back", async () => {
    await report(t0);
    const changedAt = minutes(t0, 3);
    const answer = await report(minutes(t0, 4), [
      { at: minutes(t0, 2).toISOString(), setpointC: 17 },
      { at: changedAt.toISOString(), setpointC: 21.5 },
    ]);
    // The latest change wins: the platform now sends the radiator's own value.
    expect(setpointOf(answer)).toBe(21.5);
    const view = await heatingRoom(db, { ...resident, roomId: room.id, now: minutes(t0, 4) });
    expect(view.override).toEqual({ targetC: 21.5, until: new Date("2026-12-07T16:30:00Z") });
    expect(view.changes[0]).toMatchObject({ actor: "thermostat", kind: "target", details: { targetC: 21.5, radiatorSerial: room.serial } });
    expect(await stateOf()).toMatchObject({ targetSentC: 21.5, targetAppliedAt: minutes(t0, 4) });
    // Nothing new on the next report.
    await report(minutes(t0, 5), [{ at: minutes(t0, 5).toISOString(), setpointC: 21.5 }]);
    expect(await db.select().from(heatingChanges).where(eq(heatingChanges.actor, "thermostat"))).toHaveLength(1);
  });

  it("takes a thermostat's change in comfort mode as the comfort temperature", async () => {
    await setHeatingMode(db, { ...resident, roomId: room.id, mode: "comfort", now: t0 });
    await report(t0);
    expect(setpointOf(await report(minutes(t0, 2), [{ at: minutes(t0, 1).toISOString(), setpointC: 22 }]))).toBe(22);
    expect(await heatingRoom(db, { ...resident, roomId: room.id, now: minutes(t0, 2) })).toMatchObject({ mode: "comfort", comfortC: 22 });
  });

  it("takes a finer dial's setpoint near the target as holding it, not as a change", async () => {
    await report(t0);
    await report(minutes(t0, 2), [{ at: minutes(t0, 1).toISOString(), setpointC: 17.2 }]);
    expect((await stateOf())!.targetAppliedAt).toEqual(minutes(t0, 1));
    expect(await db.select().from(heatingChanges).where(eq(heatingChanges.actor, "thermostat"))).toHaveLength(0);
  });

  it("ignores readings taken before the target was sent", async () => {
    await setHeatingProgramme(db, { ...resident, roomId: room.id, blocks: [], now: t0 });
    await report(t0);
    // A late reading from before the answer shows the old setpoint: no change.
    await report(minutes(t0, 1), [{ at: minutes(t0, -5).toISOString(), setpointC: 23 }]);
    expect(await db.select().from(heatingChanges).where(eq(heatingChanges.actor, "thermostat"))).toHaveLength(0);
  });
});
