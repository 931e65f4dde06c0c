import { z } from "zod";
import { homeOverview, homeRoom } from "@/server/services/home";
import { createTRPCRouter, residentProcedure } from "../trpc";

/** A resident's own home: every call is bounded by `ctx.dwellingId`. */
export const homeRouter = createTRPCRouter({
  overview: residentProcedure.query(({ ctx }) => homeOverview(ctx.db, { dwellingId: ctx.dwellingId })),

  room: residentProcedure
    .input(z.object({ roomId: z.uuid() }))
    .query(({ ctx, input }) => homeRoom(ctx.db, { dwellingId: ctx.dwellingId, roomId: input.roomId })),
});
