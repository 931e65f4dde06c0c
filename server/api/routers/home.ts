import { TRPCError } from "@trpc/server";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db/client";
import { buildings, dwellings, hardwareModels, radiators, rooms, sites } from "@/server/db/schema";
import { createTRPCRouter, residentProcedure } from "../trpc";

async function radiatorsOfRooms(db: Db, roomIds: string[]) {
  if (roomIds.length === 0) return [];
  return db
    .select({
      id: radiators.id,
      roomId: radiators.roomId,
      serial: radiators.serial,
      model: hardwareModels.name,
      maxPowerW: hardwareModels.maxPowerW,
      cores: hardwareModels.cores,
      lastSeenAt: radiators.lastSeenAt,
    })
    .from(radiators)
    .innerJoin(hardwareModels, eq(hardwareModels.id, radiators.hardwareModelId))
    .where(inArray(radiators.roomId, roomIds))
    .orderBy(asc(radiators.serial));
}

/** A resident's own home: every query is bounded by `ctx.dwellingId`. */
export const homeRouter = createTRPCRouter({
  overview: residentProcedure.query(async ({ ctx }) => {
    const [home] = await ctx.db
      .select({
        dwellingLabel: dwellings.label,
        floor: dwellings.floor,
        buildingName: buildings.name,
        address: buildings.address,
        city: sites.city,
        siteName: sites.name,
      })
      .from(dwellings)
      .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
      .innerJoin(sites, eq(sites.id, buildings.siteId))
      .where(eq(dwellings.id, ctx.dwellingId));
    if (!home) throw new TRPCError({ code: "NOT_FOUND", message: "Home not found." });
    const roomRows = await ctx.db
      .select({ id: rooms.id, name: rooms.name, areaM2: rooms.areaM2 })
      .from(rooms)
      .where(eq(rooms.dwellingId, ctx.dwellingId))
      .orderBy(asc(rooms.name));
    const radiatorRows = await radiatorsOfRooms(
      ctx.db,
      roomRows.map((r) => r.id),
    );
    return {
      home,
      rooms: roomRows.map((room) => ({ ...room, radiators: radiatorRows.filter((r) => r.roomId === room.id) })),
    };
  }),

  room: residentProcedure.input(z.object({ roomId: z.uuid() })).query(async ({ ctx, input }) => {
    const [room] = await ctx.db
      .select({ id: rooms.id, name: rooms.name, areaM2: rooms.areaM2 })
      .from(rooms)
      .where(and(eq(rooms.id, input.roomId), eq(rooms.dwellingId, ctx.dwellingId)));
    if (!room) throw new TRPCError({ code: "NOT_FOUND", message: "Room not found." });
    return { ...room, radiators: await radiatorsOfRooms(ctx.db, [room.id]) };
  }),
});
