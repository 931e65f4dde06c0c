import { z } from "zod";
import { HISTORY_RANGES } from "@/server/domain/history-period";
import { roomHistory } from "@/server/services/history";
import { importOutdoorTemperatures } from "@/server/services/outdoor-temperatures";
import { createTRPCRouter, residentProcedure, staffProcedure } from "../trpc";

/** Heating history: a resident's rooms (bounded by `ctx.dwellingId`), and staff's import of outdoor temperatures. */
export const historyRouter = createTRPCRouter({
  /** See RoomHistory (server/services/history.ts) for the answer's shape. A bad anchor is refused by the service, naming 'anchor'. */
  room: residentProcedure
    .input(z.object({ roomId: z.uuid(), range: z.enum(HISTORY_RANGES), anchor: z.string().max(32) }))
    .query(({ ctx, input }) => roomHistory(ctx.db, { dwellingId: ctx.dwellingId, ...input })),

  /** A Météo-France hourly file (one station) for a site; a file with a bad line is refused whole, naming the line. */
  importOutdoor: staffProcedure
    .input(z.object({ siteId: z.uuid(), csv: z.string().max(20_000_000) }))
    .mutation(({ ctx, input }) => importOutdoorTemperatures(ctx.db, input.siteId, input.csv)),
});
