import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { dwellings, rooms } from "@/server/db/schema";
import { callerAs, useTestDb } from "@/server/test/db";
import { fieldErrorsOf } from "../trpc";

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

describe("home comparison", () => {
  it("refuses a malformed month with BAD_REQUEST, naming the month", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const refused = await api.home.comparison({ month: "2026-13" }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf((refused as TRPCError).cause as ZodError)).toEqual({ month: "Give the month as YYYY-MM, for example 2026-01." });
  });
});
