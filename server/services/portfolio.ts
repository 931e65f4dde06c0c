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
      // Dwellings enrolled for the electricity refund (whatever their number of enrolment versions).
      enrolledDwellingCount: sql<number>`(
        select count(distinct e.dwelling_id) from refund_enrolments e join dwellings d on d.id = e.dwelling_id where d.building_id = ${buildings.id}
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
      // The refund as a landlord may see it: since when, and how much; never the payee or the bank details.
      refundEnrolledSince: sql<string | null>`(
        select to_char(min(e.consent_at) at time zone ${sites.timeZone}, 'YYYY-MM') from refund_enrolments e where e.dwelling_id = dwellings.id
      )`,
      refundStatements: sql<number>`(select count(*) from refund_statements st where st.dwelling_id = dwellings.id)::int`,
      refundAmountCents: sql<number>`(select coalesce(sum(st.amount_cents), 0) from refund_statements st where st.dwelling_id = dwellings.id)::float8`,
      refundPaidCents: sql<number>`(
        select coalesce(sum(p.amount_cents), 0) from refund_payments p join refund_statements st on st.id = p.statement_id where st.dwelling_id = dwellings.id
      )::float8`,
    })
    .from(dwellings)
    .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(eq(dwellings.buildingId, building.id))
    .orderBy(asc(dwellings.label));
  return { building, dwellings: dwellingRows };
}
