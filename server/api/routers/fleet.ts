import { asc, eq, sql } from "drizzle-orm";
import { organizations, sites } from "@/server/db/schema";
import { createTRPCRouter, staffProcedure } from "../trpc";

/** The operator's view of the whole fleet. */
export const fleetRouter = createTRPCRouter({
  totals: staffProcedure.query(async ({ ctx }) => {
    const [row] = await ctx.db.execute<{
      sites: number;
      buildings: number;
      dwellings: number;
      gateways: number;
      radiators: number;
      cores: number;
      maxPowerW: number;
      customers: number;
      landlords: number;
    }>(sql`
      select
        (select count(*) from sites)::int as "sites",
        (select count(*) from buildings)::int as "buildings",
        (select count(*) from dwellings)::int as "dwellings",
        (select count(*) from gateways)::int as "gateways",
        (select count(*) from radiators)::int as "radiators",
        (select coalesce(sum(h.cores), 0) from radiators r join hardware_models h on h.id = r.hardware_model_id)::int as "cores",
        (select coalesce(sum(h.max_power_w), 0) from radiators r join hardware_models h on h.id = r.hardware_model_id)::int as "maxPowerW",
        (select count(*) from organizations where kind = 'customer')::int as "customers",
        (select count(*) from organizations where kind = 'landlord')::int as "landlords"
    `);
    return row!;
  }),

  sites: staffProcedure.query(async ({ ctx }) => {
    const radiatorsOfSite = sql`radiators r join rooms ro on ro.id = r.room_id join buildings b on b.id = ro.building_id
      join hardware_models h on h.id = r.hardware_model_id where b.site_id = ${sites.id}`;
    return ctx.db
      .select({
        id: sites.id,
        name: sites.name,
        city: sites.city,
        climateZone: sites.climateZone,
        kind: sites.kind,
        owner: organizations.name,
        buildingCount: sql<number>`(select count(*) from buildings b where b.site_id = ${sites.id})::int`,
        dwellingCount: sql<number>`(
          select count(*) from dwellings d join buildings b on b.id = d.building_id where b.site_id = ${sites.id}
        )::int`,
        radiatorCount: sql<number>`(select count(*) from ${radiatorsOfSite})::int`,
        cores: sql<number>`(select coalesce(sum(h.cores), 0) from ${radiatorsOfSite})::int`,
        maxPowerW: sql<number>`(select coalesce(sum(h.max_power_w), 0) from ${radiatorsOfSite})::int`,
      })
      .from(sites)
      .innerJoin(organizations, eq(organizations.id, sites.organizationId))
      .orderBy(asc(sites.name));
  }),
});
