import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gateways, heatingChanges, radiators, roomHeating } from "@/server/db/schema";
import { initialHeating } from "@/server/domain/heating";
import { createProfilePool, type ProfilePool } from "@/server/profiles/worker";
import { heatingColumnsOf, heatingHome, heatingRoom, setHeatingMode, setHeatingTarget } from "@/server/services/heating";
import { dwellingOfResident } from "@/server/services/home";
import { leaveFleetAsSeeded, resetEngine, useTestDb, userIdByEmail } from "@/server/test/db";
import { LIVE_CADENCE, Simulation } from "./simulation";

const db = useTestDb();

// The flat of resident@hearth.test, on its own gateway. A cold January morning, 07:00 in Paris:
// nobody turns a thermostat by hand before the evening.
const GATEWAY = "QBOX-PAR-A-204";
const START_MS = Date.parse("2026-01-14T06:00:00Z");
const MINUTE_MS = 60_000;

let pool: ProfilePool;
let resident: { userId: string; dwellingId: string };
let room: { id: string; serial: string };

const asSeeded = () =>
  db
    .update(roomHeating)
    .set(heatingColumnsOf(initialHeating("out_at_work")))
    .where(sql`${roomHeating.roomId} in (select id from rooms where dwelling_id = ${resident.dwellingId})`);

beforeAll(async () => {
  pool = createProfilePool(1);
  const userId = await userIdByEmail(db, "resident@hearth.test");
  resident = { userId, dwellingId: await dwellingOfResident(db, { userId }) };
  const [first] = await db
    .select({ id: radiators.roomId, serial: radiators.serial })
    .from(radiators)
    .innerJoin(gateways, eq(gateways.id, radiators.gatewayId))
    .where(eq(gateways.serial, GATEWAY))
    .orderBy(radiators.serial)
    .limit(1);
  room = first!;
});

beforeEach(async () => {
  await resetEngine(db);
  await db.delete(heatingChanges);
  await asSeeded();
});

afterAll(async () => {
  await pool.close();
  await resetEngine(db);
  await db.delete(heatingChanges);
  await asSeeded();
  await leaveFleetAsSeeded(db, { gatewaySerials: [GATEWAY] });
});

const heatingRoomsOfFlat = async () => (await heatingHome(db, { dwellingId: resident.dwellingId })).rooms;
const simulate = () =>
  Simulation.create({ db, gatewaySerials: [GATEWAY], seed: 11, outages: null, startMs: START_MS, runner: pool, concurrency: 1 });

describe("the simulated radiators and the residents' heating", () => {
  it("obey a new target: the room warms up to it while a room kept at frost protection cools", async () => {
    for (const r of (await heatingRoomsOfFlat()).map((x) => x.id)) {
      await setHeatingMode(db, { ...resident, roomId: r, mode: "frost", now: new Date(START_MS - MINUTE_MS) });
    }
    const sim = await simulate();
    const radiator = sim.world.radiators.find((r) => r.serial === room.serial)!;
    const frosty = sim.world.radiators.find((r) => r.serial !== room.serial && r.room !== radiator.room)!;
    await sim.runUntil(START_MS + 60 * MINUTE_MS, LIVE_CADENCE);
    expect(radiator.setpointC).toBe(7);

    await setHeatingTarget(db, { ...resident, roomId: room.id, targetC: 23, now: new Date(sim.nowMs) });
    // The next report brings the target; the morning airing is over within the half hour.
    await sim.runUntil(sim.nowMs + 30 * MINUTE_MS, LIVE_CADENCE);
    expect(radiator.setpointC).toBe(23);
    expect(radiator.powerW).toBe(radiator.hardware.maxPowerW);
    const warmingFromC = radiator.room.state.airC;
    const coolingFromC = frosty.room.state.airC;
    await sim.runUntil(sim.nowMs + 3 * 60 * MINUTE_MS, LIVE_CADENCE);
    expect(radiator.room.state.airC).toBeGreaterThan(warmingFromC + 0.2);
    expect(frosty.setpointC).toBe(7);
    expect(frosty.room.state.airC).toBeLessThan(coolingFromC);
    const view = await heatingRoom(db, { ...resident, roomId: room.id, now: new Date(sim.nowMs) });
    expect(view).toMatchObject({ mode: "comfort", target: { targetC: 23 }, status: { kind: "applied" } });
  }, 120_000);

  it("bring a change made on the radiator's thermostat back to the platform as an override, which then holds", async () => {
    const sim = await simulate();
    const radiator = sim.world.radiators.find((r) => r.serial === room.serial)!;
    await sim.runUntil(START_MS + 10 * MINUTE_MS, LIVE_CADENCE);
    // 07:10 on a Wednesday: out_at_work heats to 20 °C from 06:30 to 08:30.
    expect(radiator.platformSetpointC).toBe(20);

    radiator.turnThermostat(1.5);
    await sim.runUntil(sim.nowMs + 5 * MINUTE_MS, LIVE_CADENCE);
    const view = await heatingRoom(db, { ...resident, roomId: room.id, now: new Date(sim.nowMs) });
    expect(view.override).toEqual({ targetC: 21.5, until: new Date("2026-01-14T07:30:00Z") });
    expect(view.changes[0]).toMatchObject({ actor: "thermostat", details: { targetC: 21.5 } });
    // The platform now sends the radiator's own value: the radiator keeps it.
    expect(radiator.platformSetpointC).toBe(21.5);
    expect(radiator.setpointC).toBe(21.5);

    // At the end of the block the platform sends eco: a different target, which the radiator takes.
    await sim.runUntil(Date.parse("2026-01-14T07:35:00Z"), LIVE_CADENCE);
    expect(radiator.setpointC).toBe(17);
    expect(radiator.localSetpointC).toBeNull();
  }, 120_000);
});
