import { TRPCError } from "@trpc/server";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { buildings, dwellings, sites } from "@/server/db/schema";
import { createTRPCRouter, landlordProcedure } from "../trpc";

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

/** A landlord's buildings: every query is bounded by sites of `ctx.organizationId`. */
export const portfolioRouter = createTRPCRouter({
  buildings: landlordProcedure.query(async ({ ctx }) => {
    return ctx.db
      .select({
        ...buildingSummary,
        enrolledResidentCount: sql<number>`(
          select count(*) from residents re join dwellings d on d.id = re.dwelling_id where d.building_id = ${buildings.id}
        )::int`,
      })
      .from(buildings)
      .innerJoin(sites, eq(sites.id, buildings.siteId))
      .where(eq(sites.organizationId, ctx.organizationId))
      .orderBy(asc(sites.name), asc(buildings.name));
  }),

  building: landlordProcedure.input(z.object({ buildingId: z.uuid() })).query(async ({ ctx, input }) => {
    const [building] = await ctx.db
      .select(buildingSummary)
      .from(buildings)
      .innerJoin(sites, eq(sites.id, buildings.siteId))
      .where(and(eq(buildings.id, input.buildingId), eq(sites.organizationId, ctx.organizationId)));
    if (!building) throw new TRPCError({ code: "NOT_FOUND", message: "Building not found." });
    const dwellingRows = await ctx.db
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
  }),
});
