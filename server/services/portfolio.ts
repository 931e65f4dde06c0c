import { and, asc, eq, sql } from "drizzle-orm";
import { buildings, dwellings, sites } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { found } from "./errors";

/** A landlord's buildings: every read is bounded by the sites of the landlord's organization. */

/** What every view of a building shows; select from buildings joined with their site. */
const buildingSummary = {
  id: buildings.id,
  name: buildings.name,
  address: buildings.address,
  siteName: sites.name,
  city: sites.city,
  climateZone: sites.climateZone,
  siteKind: sites.kind,
  dwellingCount: sql<number>`(select count(*) from dwellings d where d.building_id = ${buildings.id})::int`,
  radiatorCount: sql<number>`(
    select count(*) from radiators r join rooms ro on ro.id = r.room_id where ro.building_id = ${buildings.id}
  )::int`,
  gatewayCount: sql<number>`(select count(*) from gateways g where g.building_id = ${buildings.id})::int`,
};

export async function listBuildings(db: Tx, opts: { organizationId: string }) {
  return db
    .select({
      ...buildingSummary,
      enrolledResidentCount: sql<number>`(
        select count(*) from residents re join dwellings d on d.id = re.dwelling_id where d.building_id = ${buildings.id}
      )::int`,
    })
    .from(buildings)
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(eq(sites.organizationId, opts.organizationId))
    .orderBy(asc(sites.name), asc(buildings.name));
}

/** A building of the organization with its dwellings; another landlord's building is not found. */
export async function getBuilding(db: Tx, opts: { organizationId: string; buildingId: string }) {
  const [row] = await db
    .select(buildingSummary)
    .from(buildings)
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(and(eq(buildings.id, opts.buildingId), eq(sites.organizationId, opts.organizationId)));
  const building = found(row, "Building");
  const dwellingRows = await db
    .select({
      id: dwellings.id,
      label: dwellings.label,
      floor: dwellings.floor,
      roomCount: sql<number>`(select count(*) from rooms ro where ro.dwelling_id = dwellings.id)::int`,
      radiatorCount: sql<number>`(
        select count(*) from radiators r join rooms ro on ro.id = r.room_id where ro.dwelling_id = dwellings.id
      )::int`,
      residentEnrolled: sql<boolean>`exists (select 1 from residents re where re.dwelling_id = dwellings.id)`,
    })
    .from(dwellings)
    .where(eq(dwellings.buildingId, building.id))
    .orderBy(asc(dwellings.label));
  return { building, dwellings: dwellingRows };
}
