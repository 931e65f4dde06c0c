import { describe, expect, it } from "vitest";
import { callerAs, useTestDb } from "@/server/test/db";

const db = useTestDb();

describe("home router", () => {
  it("shows the resident's own flat with its rooms and radiators", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const { home, rooms } = await api.home.overview();
    expect(home).toMatchObject({ dwellingLabel: "A-204", city: "Paris" });
    expect(rooms).toHaveLength(3);
    for (const room of rooms) {
      expect(room.radiators).toHaveLength(1);
      expect(room.radiators[0]).toMatchObject({ maxPowerW: 500, cores: 16 });
    }
  });

  it("shows one room of the flat", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const { rooms } = await api.home.overview();
    const room = await api.home.room({ roomId: rooms[0]!.id });
    expect(room.name).toBe(rooms[0]!.name);
  });

  it("gives the other resident their own, larger flat in Bordeaux", async () => {
    const api = await callerAs(db, "resident2@hearth.test");
    const { home, rooms } = await api.home.overview();
    expect(home.city).toBe("Bordeaux");
    expect(rooms.reduce((n, r) => n + r.radiators.length, 0)).toBe(7);
  });
});
