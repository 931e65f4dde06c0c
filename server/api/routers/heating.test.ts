import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { dwellings, heatingChanges, roomHeating, rooms } from "@/server/db/schema";
import { initialHeating } from "@/server/domain/heating";
import { heatingColumnsOf } from "@/server/services/heating";
import { callerAs, useTestDb } from "@/server/test/db";

/** The heating router's mapping; what heating does is tested with its service and domain. */
const db = useTestDb();

const fieldsOf = (error: unknown) => (error as { cause?: { issues?: Array<{ path: string[] }> } }).cause?.issues?.map((i) => i.path.join("."));

afterAll(async () => {
  await db.delete(heatingChanges);
  await db
    .update(roomHeating)
    .set(heatingColumnsOf(initialHeating("out_at_work")))
    .where(sql`${roomHeating.roomId} in (select r.id from rooms r join dwellings d on d.id = r.dwelling_id where d.label = 'A-204')`);
});

describe("heating router", () => {
  it("refuses bad input with BAD_REQUEST naming the field, and another flat's room with NOT_FOUND", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const { rooms: mine } = await api.heating.home();
    const roomId = mine[0]!.id;
    for (const [call, field] of [
      [() => api.heating.setTarget({ roomId, targetC: 7.3 }), "targetC"],
      [() => api.heating.setTarget({ roomId, targetC: 30 }), "targetC"],
      [() => api.heating.boost({ roomId, minutes: 45 }), "minutes"],
      [() => api.heating.setMode({ roomId, mode: "turbo" as "eco" }), "mode"],
      [
        () =>
          api.heating.setProgramme({
          roomId,
          blocks: [
            { day: 0, startMinute: 420, endMinute: 540, targetC: 20 },
            { day: 0, startMinute: 480, endMinute: 600, targetC: 20 },
          ],
        }),
        "blocks.1",
      ],
    ] as const) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      expect(fieldsOf(error)).toEqual([field]);
    }
    const [neighbours] = await db
      .select({ id: rooms.id })
      .from(rooms)
      .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
      .where(eq(dwellings.label, "A-205"));
    await expect(api.heating.setTarget({ roomId: neighbours!.id, targetC: 20 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers a change with the room as heating.room shows it", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const roomId = (await api.heating.home()).rooms[0]!.id;
    const changed = await api.heating.setTemperatures({ roomId, comfortC: 21, ecoC: 16 });
    expect(changed).toEqual(await api.heating.room({ roomId }));
  });
});
