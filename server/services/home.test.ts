import { describe, expect, it } from "vitest";
import { useTestDb, userIdByEmail } from "@/server/test/db";
import { dwellingOfResident, homeOverview, homeRoom } from "./home";

const db = useTestDb();

const homeOf = async (email: string) => dwellingOfResident(db, { userId: await userIdByEmail(db, email) });

describe("home", () => {
  it("finds the dwelling a resident lives in, and none for other accounts", async () => {
    expect(await homeOf("resident@hearth.test")).not.toBe(await homeOf("resident2@hearth.test"));
    await expect(homeOf("staff@hearth.test")).rejects.toMatchObject({
      kind: "not-found",
      what: "Home",
      message: "No home is linked to this account yet.",
    });
  });

  it("shows the resident's own flat with its rooms and radiators", async () => {
    const { home, rooms } = await homeOverview(db, { dwellingId: await homeOf("resident@hearth.test") });
    expect(home).toMatchObject({ dwellingLabel: "A-204", city: "Paris", buildingName: "Bâtiment A" });
    expect(rooms).toHaveLength(3);
    for (const room of rooms) {
      expect(room.radiators).toHaveLength(1);
      expect(room.radiators[0]).toMatchObject({ roomId: room.id, maxPowerW: 500, cores: 16 });
    }
  });

  it("gives the other resident their own, larger flat in Bordeaux", async () => {
    const { home, rooms } = await homeOverview(db, { dwellingId: await homeOf("resident2@hearth.test") });
    expect(home.city).toBe("Bordeaux");
    expect(rooms.reduce((n, r) => n + r.radiators.length, 0)).toBe(7);
  });

  it("shows a room of the flat, and finds no room of another flat", async () => {
    const mine = await homeOf("resident@hearth.test");
    const theirs = await homeOf("resident2@hearth.test");
    const [first] = (await homeOverview(db, { dwellingId: mine })).rooms;
    expect(await homeRoom(db, { dwellingId: mine, roomId: first!.id })).toEqual(first);
    await expect(homeRoom(db, { dwellingId: theirs, roomId: first!.id })).rejects.toMatchObject({ kind: "not-found", what: "Room" });
    await expect(homeOverview(db, { dwellingId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      kind: "not-found",
      what: "Home",
    });
  });
});
