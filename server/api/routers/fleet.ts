import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, ilike, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  buildings,
  dwellings,
  gatewayCredentials,
  gateways,
  hardwareModels,
  organizations,
  radiators,
  radiatorStates,
  rooms,
  sites,
} from "@/server/db/schema";
import type { PgSelect } from "drizzle-orm/pg-core";
import { issueGatewayCredential, revokeGatewayCredential } from "@/server/device/credentials";
import { createTRPCRouter, staffProcedure } from "../trpc";

const serialSchema = z
  .string()
  .trim()
  .min(3, "A serial has at least 3 characters.")
  .max(64, "A serial has at most 64 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, dashes and underscores.");

/** What every view of a gateway shows: the gateway and where it stands (site, building, flat). */
const gatewayPlace = {
  id: gateways.id,
  serial: gateways.serial,
  firmwareVersion: gateways.firmwareVersion,
  lastSeenAt: gateways.lastSeenAt,
  buildingName: buildings.name,
  siteName: sites.name,
  dwellingLabel: dwellings.label,
};

/** Joins a select from gateways with the tables of `gatewayPlace`. */
function withPlace<T extends PgSelect>(query: T) {
  return query
    .innerJoin(buildings, eq(buildings.id, gateways.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .leftJoin(dwellings, eq(dwellings.id, gateways.dwellingId));
}

/** Postgres unique violations become a clear CONFLICT instead of a server error. */
async function unlessDuplicate<T>(work: Promise<T>, message: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === "23505") throw new TRPCError({ code: "CONFLICT", message });
    throw error;
  }
}

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

  hardwareModels: staffProcedure.query(({ ctx }) =>
    ctx.db.select().from(hardwareModels).orderBy(asc(hardwareModels.name)),
  ),

  /** Buildings with their dwellings and rooms, for the forms that place gateways and radiators. */
  buildingOptions: staffProcedure.query(async ({ ctx }) => {
    return ctx.db
      .select({ id: buildings.id, name: buildings.name, siteName: sites.name, city: sites.city })
      .from(buildings)
      .innerJoin(sites, eq(sites.id, buildings.siteId))
      .orderBy(asc(sites.name), asc(buildings.name));
  }),

  gateways: staffProcedure
    .input(
      z.object({
        search: z.string().trim().max(100).default(""),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      // The search is literal text: % and _ typed by a person are not wildcards.
      const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const where = input.search
        ? or(ilike(gateways.serial, pattern), ilike(buildings.name, pattern), ilike(sites.name, pattern))
        : undefined;
      const [rows, [count]] = await Promise.all([
        withPlace(
          ctx.db
            .select({
              ...gatewayPlace,
              radiatorCount: sql<number>`(select count(*) from radiators r where r.gateway_id = ${gateways.id})::int`,
              activeCredentialCount: sql<number>`(
                select count(*) from gateway_credentials c where c.gateway_id = ${gateways.id} and c.revoked_at is null
              )::int`,
            })
            .from(gateways)
            .$dynamic(),
        )
          .where(where)
          .orderBy(asc(gateways.serial))
          .limit(input.pageSize)
          .offset((input.page - 1) * input.pageSize),
        withPlace(ctx.db.select({ total: sql<number>`count(*)::int` }).from(gateways).$dynamic()).where(where),
      ]);
      return { rows, total: count!.total };
    }),

  gateway: staffProcedure.input(z.object({ gatewayId: z.uuid() })).query(async ({ ctx, input }) => {
    const [gateway] = await withPlace(
      ctx.db
        .select({ ...gatewayPlace, buildingId: gateways.buildingId, dwellingId: gateways.dwellingId })
        .from(gateways)
        .$dynamic(),
    ).where(eq(gateways.id, input.gatewayId));
    if (!gateway) throw new TRPCError({ code: "NOT_FOUND", message: "Gateway not found." });
    const [radiatorRows, credentials, roomOptions] = await Promise.all([
      ctx.db
        .select({
          id: radiators.id,
          serial: radiators.serial,
          model: hardwareModels.name,
          roomName: rooms.name,
          dwellingLabel: dwellings.label,
          installedOn: radiators.installedOn,
          lastSeenAt: radiators.lastSeenAt,
          // What the radiator last reported, and the cores the scheduler gave to work.
          cores: hardwareModels.cores,
          lastReadingAt: radiatorStates.lastReadingAt,
          roomTempC: radiatorStates.roomTempC,
          setpointC: radiatorStates.setpointC,
          powerW: radiatorStates.powerW,
          coresActive: radiatorStates.coresActive,
          coresWanted: radiatorStates.coresWanted,
          coresAssigned: radiatorStates.coresAssigned,
        })
        .from(radiators)
        .innerJoin(hardwareModels, eq(hardwareModels.id, radiators.hardwareModelId))
        .innerJoin(rooms, eq(rooms.id, radiators.roomId))
        .leftJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
        .leftJoin(radiatorStates, eq(radiatorStates.radiatorId, radiators.id))
        .where(eq(radiators.gatewayId, gateway.id))
        .orderBy(asc(radiators.serial)),
      ctx.db
        .select({
          id: gatewayCredentials.id,
          tokenPrefix: gatewayCredentials.tokenPrefix,
          createdAt: gatewayCredentials.createdAt,
          lastUsedAt: gatewayCredentials.lastUsedAt,
          revokedAt: gatewayCredentials.revokedAt,
        })
        .from(gatewayCredentials)
        .where(eq(gatewayCredentials.gatewayId, gateway.id))
        .orderBy(desc(gatewayCredentials.createdAt)),
      // Rooms this gateway may drive: its dwelling's, or every room of its building.
      ctx.db
        .select({ id: rooms.id, name: rooms.name, dwellingLabel: dwellings.label })
        .from(rooms)
        .leftJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
        .where(
          gateway.dwellingId ? eq(rooms.dwellingId, gateway.dwellingId) : eq(rooms.buildingId, gateway.buildingId),
        )
        .orderBy(asc(dwellings.label), asc(rooms.name)),
    ]);
    return { gateway, radiators: radiatorRows, credentials, roomOptions };
  }),

  registerGateway: staffProcedure
    .input(
      z.object({
        buildingId: z.uuid(),
        dwellingLabel: z.string().trim().max(32).optional(),
        serial: serialSchema,
        firmwareVersion: z.string().trim().min(1).max(32),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [building] = await ctx.db.select({ id: buildings.id }).from(buildings).where(eq(buildings.id, input.buildingId));
      if (!building) throw new TRPCError({ code: "NOT_FOUND", message: "Building not found." });
      let dwellingId: string | null = null;
      if (input.dwellingLabel) {
        const [dwelling] = await ctx.db
          .select({ id: dwellings.id })
          .from(dwellings)
          .where(and(eq(dwellings.buildingId, building.id), eq(dwellings.label, input.dwellingLabel)));
        if (!dwelling) throw new TRPCError({ code: "BAD_REQUEST", message: `No dwelling "${input.dwellingLabel}" in this building.` });
        dwellingId = dwelling.id;
      }
      const [gateway] = await unlessDuplicate(
        ctx.db
          .insert(gateways)
          .values({ buildingId: building.id, dwellingId, serial: input.serial, firmwareVersion: input.firmwareVersion })
          .returning({ id: gateways.id, serial: gateways.serial }),
        `A gateway with serial ${input.serial} already exists.`,
      );
      return gateway!;
    }),

  registerRadiator: staffProcedure
    .input(
      z.object({
        gatewayId: z.uuid(),
        roomId: z.uuid(),
        hardwareModelId: z.uuid(),
        serial: serialSchema,
        installedOn: z.iso.date(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [gateway] = await ctx.db.select().from(gateways).where(eq(gateways.id, input.gatewayId));
      if (!gateway) throw new TRPCError({ code: "NOT_FOUND", message: "Gateway not found." });
      const [room] = await ctx.db.select().from(rooms).where(eq(rooms.id, input.roomId));
      const reachable = room && room.buildingId === gateway.buildingId && (!gateway.dwellingId || room.dwellingId === gateway.dwellingId);
      if (!reachable) throw new TRPCError({ code: "BAD_REQUEST", message: "This room is not served by this gateway." });
      const [model] = await ctx.db.select({ id: hardwareModels.id }).from(hardwareModels).where(eq(hardwareModels.id, input.hardwareModelId));
      if (!model) throw new TRPCError({ code: "BAD_REQUEST", message: "Unknown hardware model." });
      const [radiator] = await unlessDuplicate(
        ctx.db
          .insert(radiators)
          .values({ gatewayId: gateway.id, roomId: room.id, hardwareModelId: model.id, serial: input.serial, installedOn: input.installedOn })
          .returning({ id: radiators.id, serial: radiators.serial }),
        `A radiator with serial ${input.serial} already exists.`,
      );
      return radiator!;
    }),

  /** The token is in this answer only; the platform keeps its hash. */
  issueCredential: staffProcedure.input(z.object({ gatewayId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const [gateway] = await ctx.db.select({ id: gateways.id }).from(gateways).where(eq(gateways.id, input.gatewayId));
    if (!gateway) throw new TRPCError({ code: "NOT_FOUND", message: "Gateway not found." });
    return issueGatewayCredential(ctx.db, { gatewayId: gateway.id, createdByUserId: ctx.user.id });
  }),

  /** `revoked: false` when it was already revoked. */
  revokeCredential: staffProcedure.input(z.object({ credentialId: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (await revokeGatewayCredential(ctx.db, input.credentialId)) return { revoked: true };
    const [known] = await ctx.db
      .select({ id: gatewayCredentials.id })
      .from(gatewayCredentials)
      .where(eq(gatewayCredentials.id, input.credentialId));
    if (!known) throw new TRPCError({ code: "NOT_FOUND", message: "Credential not found." });
    return { revoked: false };
  }),
});
