/**
 * Rules of the fleet's layout: where gateways and rooms stand, and which rooms a gateway drives.
 */

/** Where a gateway or a room stands: its building, and its flat when it is in one (null: the building itself). */
export type Placement = { buildingId: string; dwellingId: string | null };

/**
 * Whether a gateway may drive radiators in a room: a gateway placed in a flat serves that flat's
 * rooms only; a building gateway serves every room of its building, flats and plant rooms alike.
 * Never a room of another building. The room options query states the same rule in SQL
 * (servedRoomsWhere in server/services/fleet.ts), tested to agree with this one.
 */
export function gatewayServesRoom(gateway: Placement, room: Placement): boolean {
  if (room.buildingId !== gateway.buildingId) return false;
  return gateway.dwellingId === null || room.dwellingId === gateway.dwellingId;
}
