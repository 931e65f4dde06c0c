import { and, asc, eq, inArray } from "drizzle-orm";
import { buildings, dwellings, hardwareModels, radiators, residents, rooms, sites } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { found, NotFoundError } from "./errors";

/** A resident's own home: every read is bounded by the resident's dwelling. */

/** The dwelling a resident's account is linked to: the scope of everything else here. */
export async function dwellingOfResident(db: Tx, opts: { userId: string }): Promise<string> {
  const [link] = await db
    .select({ dwellingId: residents.dwellingId })
    .from(residents)
    .where(eq(residents.userId, opts.userId))
    .limit(1);
  if (!link) throw new NotFoundError("Home", "No home is linked to this account yet.");
  return link.dwellingId;
}

async function radiatorsOfRooms(db: Tx, roomIds: string[]) {
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

/** The flat, where it is, and its rooms with their radiators. */
export async function homeOverview(db: Tx, opts: { dwellingId: string }) {
  const [row] = await db
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
    .where(eq(dwellings.id, opts.dwellingId));
  const home = found(row, "Home");
  const roomRows = await db
    .select({ id: rooms.id, name: rooms.name, areaM2: rooms.areaM2 })
    .from(rooms)
    .where(eq(rooms.dwellingId, opts.dwellingId))
    .orderBy(asc(rooms.name));
  const radiatorRows = await radiatorsOfRooms(
    db,
    roomRows.map((r) => r.id),
  );
  return {
    home,
    rooms: roomRows.map((room) => ({ ...room, radiators: radiatorRows.filter((r) => r.roomId === room.id) })),
  };
}

/** One room of the flat with its radiators; a room of another flat is not found. */
export async function homeRoom(db: Tx, opts: { dwellingId: string; roomId: string }) {
  const [row] = await db
    .select({ id: rooms.id, name: rooms.name, areaM2: rooms.areaM2 })
    .from(rooms)
    .where(and(eq(rooms.id, opts.roomId), eq(rooms.dwellingId, opts.dwellingId)));
  const room = found(row, "Room");
  return { ...room, radiators: await radiatorsOfRooms(db, [room.id]) };
}
