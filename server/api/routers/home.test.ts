import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dwellings, rooms } from "@/server/db/schema";
import { callerAs, useTestDb } from "@/server/test/db";

/** The home router's mapping; what a home shows is tested with its service. */
const db = useTestDb();

describe("home router", () => {
  it("refuses a malformed room id with BAD_REQUEST and a room of another flat with NOT_FOUND", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    await expect(api.home.room({ roomId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A-205 is the neighbour's flat.
    const [neighbours] = await db
      .select({ id: rooms.id })
      .from(rooms)
      .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
      .where(eq(dwellings.label, "A-205"));
    await expect(api.home.room({ roomId: neighbours!.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Room not found." });
  });
});
