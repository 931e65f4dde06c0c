import { z } from "zod";
import { buildingComparison } from "@/server/services/comparison";
import { homeOverview, homeRoom } from "@/server/services/home";
import { createTRPCRouter, residentProcedure } from "../trpc";

/** A resident's own home: every call is bounded by `ctx.dwellingId`. */
export const homeRouter = createTRPCRouter({
  overview: residentProcedure.query(({ ctx }) => homeOverview(ctx.db, { dwellingId: ctx.dwellingId })),

  room: residentProcedure
    .input(z.object({ roomId: z.uuid() }))
    .query(({ ctx, input }) => homeRoom(ctx.db, { dwellingId: ctx.dwellingId, roomId: input.roomId })),

  /** The home against its building's average for a month; the building's figures only from five dwellings up. */
  comparison: residentProcedure
    .input(z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Give the month as YYYY-MM, for example 2026-01.") }))
    .query(({ ctx, input }) => buildingComparison(ctx.db, { dwellingId: ctx.dwellingId, month: input.month })),
});
