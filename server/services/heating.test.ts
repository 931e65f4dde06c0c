import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateways, heatingChanges, radiators, radiatorStates, roomHeating, rooms } from "@/server/db/schema";
import { initialHeating } from "@/server/domain/heating";
import { useTestDb, userIdByEmail } from "@/server/test/db";
import {
  boostHeating,
  cancelHeatingOverride,
  GATEWAY_OFFLINE_AFTER_MS,
  heatingColumnsOf,
  heatingHome,
  heatingRoom,
  setHeatingMode,
  setHeatingOverride,
  setHeatingProgramme,
  setHeatingTarget,
  setHeatingTemperatures,
} from "./heating";
import { dwellingOfResident } from "./home";

const db = useTestDb();

let mine: { dwellingId: string; userId: string };
let theirs: { dwellingId: string; userId: string };
let roomId: string;
// Monday 7 December 2026, 06:00 in Paris (UTC+1).
const now = new Date("2026-12-07T05:00:00Z");

const resident = async (email: string) => {
  const userId = await userIdByEmail(db, email);
  return { userId, dwellingId: await dwellingOfResident(db, { userId }) };
};
const changesOf = async (id: string) => (await db.select().from(heatingChanges).where(eq(heatingChanges.roomId, id))).length;

/** The resident's rooms as the seed made them (other files change them too). */
const asSeeded = () =>
  db
    .update(roomHeating)
    .set({ ...heatingColumnsOf(initialHeating("out_at_work")), updatedByUserId: null })
    .where(sql`${roomHeating.roomId} in (select id from rooms where dwelling_id = ${mine.dwellingId})`);

beforeAll(async () => {
  mine = await resident("resident@hearth.test");
  theirs = await resident("resident2@hearth.test");
  roomId = (await heatingHome(db, { dwellingId: mine.dwellingId, now })).rooms[0]!.id;
  await asSeeded();
});

afterAll(async () => {
  await asSeeded();
  await db.delete(heatingChanges);
  await db.execute(sql`update gateways set last_seen_at = null where last_seen_at is not null`);
  await db.execute(sql`truncate radiator_states`);
});

describe("heating", () => {
  it("shows every room of the resident's flat, on the seeded programme, in the site's zone", async () => {
    const home = await heatingHome(db, { dwellingId: mine.dwellingId, now });
    expect(home.timeZone).toBe("Europe/Paris");
    expect(home.rooms).toHaveLength(3);
    for (const room of home.rooms) {
      expect(room).toMatchObject({ mode: "programme", comfortC: 20, ecoC: 17, override: null, boostUntil: null });
      // 06:00 on a weekday: the out_at_work programme heats from 06:30.
      expect(room.target).toEqual({ targetC: 17, source: "programme", until: new Date("2026-12-07T05:30:00Z") });
      // Never reported: the gateway is not online.
      expect(room.status).toEqual({ kind: "gateway_offline", lastSeenAt: null });
    }
  });

  it("finds no room of another flat, for reading or changing", async () => {
    await expect(heatingRoom(db, { dwellingId: theirs.dwellingId, roomId })).rejects.toMatchObject({ kind: "not-found", what: "Room" });
    const before = await changesOf(roomId);
    await expect(setHeatingTarget(db, { ...theirs, roomId, targetC: 21, now })).rejects.toMatchObject({ kind: "not-found" });
    expect(await changesOf(roomId)).toBe(before);
  });

  it("makes a temperature asked in programme mode an override until the next block, and logs it", async () => {
    const room = await setHeatingTarget(db, { ...mine, roomId, targetC: 21.5, now });
    expect(room.mode).toBe("programme");
    expect(room.override).toEqual({ targetC: 21.5, until: new Date("2026-12-07T05:30:00Z") });
    expect(room.target).toEqual({ targetC: 21.5, source: "override", until: new Date("2026-12-07T05:30:00Z") });
    expect(room.changes[0]).toMatchObject({ actor: "resident", kind: "target", details: { targetC: 21.5 }, userName: "Nadia Benali" });
    const cancelled = await cancelHeatingOverride(db, { ...mine, roomId, now });
    expect(cancelled.override).toBeNull();
    expect(cancelled.target).toMatchObject({ targetC: 17, source: "programme" });
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const before = await changesOf(roomId);
    const refused = async (call: Promise<unknown>, field: string) => expect(call).rejects.toMatchObject({ kind: "invalid-input", field });
    await refused(setHeatingTarget(db, { ...mine, roomId, targetC: 7.3, now }), "targetC");
    await refused(setHeatingTarget(db, { ...mine, roomId, targetC: 30, now }), "targetC");
    await refused(setHeatingMode(db, { ...mine, roomId, mode: "turbo", now }), "mode");
    await refused(boostHeating(db, { ...mine, roomId, minutes: 45, now }), "minutes");
    await refused(setHeatingTemperatures(db, { ...mine, roomId, comfortC: 19, ecoC: 20, now }), "ecoC");
    await refused(setHeatingOverride(db, { ...mine, roomId, targetC: 21, hours: 0, now }), "hours");
    const overlap = [
      { day: 0, startMinute: 420, endMinute: 540, targetC: 21 },
      { day: 0, startMinute: 525, endMinute: 600, targetC: 21 },
    ];
    await refused(setHeatingProgramme(db, { ...mine, roomId, blocks: overlap, now }), "blocks.1");
    await refused(setHeatingProgramme(db, { ...mine, roomId, blocks: [{ day: 0, startMinute: 425, endMinute: 540, targetC: 21 }], now }), "blocks.0.startMinute");
    expect(await changesOf(roomId)).toBe(before);
  });

  it("boosts, then the mode before returns; a mode chosen ends the boost", async () => {
    await setHeatingMode(db, { ...mine, roomId, mode: "comfort", now });
    const boosted = await boostHeating(db, { ...mine, roomId, minutes: 60, now });
    expect(boosted).toMatchObject({ mode: "boost", modeBeforeBoost: "comfort", boostUntil: new Date(now.getTime() + 3_600_000), target: { targetC: 28, source: "boost" } });
    const after = await heatingRoom(db, { ...mine, roomId, now: new Date(now.getTime() + 3_600_000) });
    expect(after).toMatchObject({ mode: "comfort", modeBeforeBoost: null, boostUntil: null, target: { targetC: 20, source: "comfort", until: null } });
    const off = await setHeatingMode(db, { ...mine, roomId, mode: "off", now });
    expect(off.target).toEqual({ targetC: 7, source: "off", until: null });
    const back = await setHeatingTarget(db, { ...mine, roomId, targetC: 19, now });
    expect(back).toMatchObject({ mode: "comfort", comfortC: 19, target: { targetC: 19 } });
  });

  it("keeps the programme and temperatures, in order, and answers the room with its history", async () => {
    await setHeatingTemperatures(db, { ...mine, roomId, comfortC: 21, ecoC: 16.5, now });
    const room = await setHeatingProgramme(db, {
      ...mine,
      roomId,
      blocks: [
        { day: 2, startMinute: 1080, endMinute: 1320, targetC: 21 },
        { day: 0, startMinute: 360, endMinute: 480, targetC: 20.5 },
      ],
      now,
    });
    expect(room.programme).toEqual([
      { day: 0, startMinute: 360, endMinute: 480, targetC: 20.5 },
      { day: 2, startMinute: 1080, endMinute: 1320, targetC: 21 },
    ]);
    expect(room).toMatchObject({ comfortC: 21, ecoC: 16.5 });
    expect(room.changes.map((c) => c.kind).slice(0, 2)).toEqual(["programme", "temperatures"]);
    expect(room.changes.length).toBeLessThanOrEqual(20);
    const override = await setHeatingOverride(db, { ...mine, roomId, targetC: 22, hours: 3, now });
    expect(override.override).toEqual({ targetC: 22, until: new Date(now.getTime() + 3 * 3_600_000) });
  });

  it("says whether the radiators apply the target: waiting, applied, gateway offline", async () => {
    const room = await setHeatingMode(db, { ...mine, roomId, mode: "eco", now });
    const [radiator] = await db.select({ id: radiators.id, gatewayId: radiators.gatewayId }).from(radiators).where(eq(radiators.roomId, roomId));
    await db.update(gateways).set({ lastSeenAt: now }).where(eq(gateways.id, radiator!.gatewayId));
    expect(room.status).toEqual({ kind: "gateway_offline", lastSeenAt: null }); // as it was when changed
    const state = { radiatorId: radiator!.id, targetSentC: 16.5, targetSentAt: now, roomTempC: 18, powerW: 120, coresAssigned: 2 };
    await db.insert(radiatorStates).values(state).onConflictDoUpdate({ target: radiatorStates.radiatorId, set: state });
    expect((await heatingRoom(db, { ...mine, roomId, now })).status).toEqual({ kind: "waiting" });
    const appliedAt = new Date(now.getTime() + 60_000);
    await db.update(radiatorStates).set({ targetAppliedAt: appliedAt }).where(eq(radiatorStates.radiatorId, radiator!.id));
    const applied = await heatingRoom(db, { ...mine, roomId, now });
    expect(applied).toMatchObject({ status: { kind: "applied", appliedAt }, roomTempC: 18, powerW: 120, computing: true });
    const later = new Date(now.getTime() + GATEWAY_OFFLINE_AFTER_MS + 1);
    expect((await heatingRoom(db, { ...mine, roomId, now: later })).status).toEqual({ kind: "gateway_offline", lastSeenAt: now });
  });

  it("starts a room with no heating of its own in comfort, and shows such a room as local", async () => {
    const [other] = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.dwellingId, mine.dwellingId)).offset(1).limit(1);
    const saved = await db.select().from(roomHeating).where(eq(roomHeating.roomId, other!.id));
    await db.delete(roomHeating).where(eq(roomHeating.roomId, other!.id));
    try {
      const local = await heatingRoom(db, { ...mine, roomId: other!.id, now });
      expect(local).toMatchObject({ mode: null, target: null, status: { kind: "local" }, programme: null });
      const set = await setHeatingTarget(db, { ...mine, roomId: other!.id, targetC: 18.5, now });
      expect(set).toMatchObject({ mode: "comfort", comfortC: 18.5, target: { targetC: 18.5, source: "comfort" } });
    } finally {
      await db.delete(roomHeating).where(eq(roomHeating.roomId, other!.id));
      await db.insert(roomHeating).values(saved);
    }
  });
});
