import { z } from "zod";
import { HEATING_MODES, MAX_PROGRAMME_BLOCKS } from "@/server/domain/heating";
import {
  boostHeating,
  cancelHeatingOverride,
  heatingHome,
  heatingRoom,
  setHeatingMode,
  setHeatingOverride,
  setHeatingProgramme,
  setHeatingTarget,
  setHeatingTemperatures,
} from "@/server/services/heating";
import { createTRPCRouter, residentProcedure } from "../trpc";

// Shapes only: the bounds, the 0.5 °C step, the 15-minute grid and overlaps are the domain's
// refusals (server/domain/heating.ts), each naming its field.
const roomRef = { roomId: z.uuid("Not a room id.") };
const TEMP_C = z.number("Give a temperature in °C.");
const BLOCK = z.object({ day: z.number(), startMinute: z.number(), endMinute: z.number(), targetC: TEMP_C });

/**
 * A resident's heating, room by room: every call is bounded by `ctx.dwellingId`, and every
 * change answers with the room as `room` shows it.
 */
export const heatingRouter = createTRPCRouter({
  home: residentProcedure.query(({ ctx }) => heatingHome(ctx.db, { dwellingId: ctx.dwellingId })),

  room: residentProcedure
    .input(z.object(roomRef))
    .query(({ ctx, input }) => heatingRoom(ctx.db, { dwellingId: ctx.dwellingId, roomId: input.roomId })),

  setTarget: residentProcedure
    .input(z.object({ ...roomRef, targetC: TEMP_C }))
    .mutation(({ ctx, input }) => setHeatingTarget(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  setOverride: residentProcedure
    .input(z.object({ ...roomRef, targetC: TEMP_C, hours: z.number("Give a number of hours.").nullable() }))
    .mutation(({ ctx, input }) => setHeatingOverride(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  cancelOverride: residentProcedure
    .input(z.object(roomRef))
    .mutation(({ ctx, input }) => cancelHeatingOverride(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  setMode: residentProcedure
    .input(z.object({ ...roomRef, mode: z.enum(HEATING_MODES, `One of ${HEATING_MODES.join(", ")}.`) }))
    .mutation(({ ctx, input }) => setHeatingMode(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  boost: residentProcedure
    .input(z.object({ ...roomRef, minutes: z.number("Give the boost's length in minutes.") }))
    .mutation(({ ctx, input }) => boostHeating(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  setTemperatures: residentProcedure
    .input(z.object({ ...roomRef, comfortC: TEMP_C, ecoC: TEMP_C }))
    .mutation(({ ctx, input }) => setHeatingTemperatures(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),

  setProgramme: residentProcedure
    .input(z.object({ ...roomRef, blocks: z.array(BLOCK).max(MAX_PROGRAMME_BLOCKS, `At most ${MAX_PROGRAMME_BLOCKS} blocks in a week.`) }))
    .mutation(({ ctx, input }) => setHeatingProgramme(ctx.db, { dwellingId: ctx.dwellingId, userId: ctx.user.id, ...input })),
});
