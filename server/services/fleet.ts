import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import {
  buildings,
  dwellings,
  gatewayCredentials,
  gateways,
  hardwareModels,
  meterAnomalies,
  organizations,
  radiators,
  radiatorStates,
  rooms,
  sites,
} from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { issueGatewayCredential, revokeGatewayCredential } from "./gateway-credentials";
import { gatewayServesRoom, type Placement } from "@/server/domain/fleet";
import { ConflictError, found, InvalidInputError, isUniqueViolation } from "./errors";

/**
 * The operator's fleet: sites, buildings, gateways, radiators and the gateways' credentials. Staff
 * are one tenant, the operator, and see the whole fleet: these reads are bounded by nothing else.
 */

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

/** The rooms a gateway standing at `gateway` serves, as a condition on `rooms`: gatewayServesRoom in SQL. */
export function servedRoomsWhere(gateway: Placement): SQL | undefined {
  return and(
    eq(rooms.buildingId, gateway.buildingId),
    gateway.dwellingId === null ? undefined : eq(rooms.dwellingId, gateway.dwellingId),
  );
}

export async function fleetTotals(db: Tx) {
  const [row] = await db.execute<{
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
}

export async function listSites(db: Tx) {
  const radiatorsOfSite = sql`radiators r join rooms ro on ro.id = r.room_id join buildings b on b.id = ro.building_id
    join hardware_models h on h.id = r.hardware_model_id where b.site_id = ${sites.id}`;
  return db
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
}

export async function listHardwareModels(db: Tx) {
  return db.select().from(hardwareModels).orderBy(asc(hardwareModels.name));
}

/** Buildings with their site, for the form that places gateways. */
export async function listBuildingOptions(db: Tx) {
  return db
    .select({ id: buildings.id, name: buildings.name, siteName: sites.name, city: sites.city })
    .from(buildings)
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .orderBy(asc(sites.name), asc(buildings.name));
}

/** A page of gateways whose serial, building or site contains `search` (literally), and how many match in all. */
export async function listGateways(db: Tx, opts: { search: string; page: number; pageSize: number }) {
  // The search is literal text: % and _ typed by a person are not wildcards.
  const pattern = `%${opts.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = opts.search
    ? or(ilike(gateways.serial, pattern), ilike(buildings.name, pattern), ilike(sites.name, pattern))
    : undefined;
  const [rows, [count]] = await Promise.all([
    withPlace(
      db
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
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    withPlace(db.select({ total: sql<number>`count(*)::int` }).from(gateways).$dynamic()).where(where),
  ]);
  return { rows, total: count!.total };
}

/** A gateway with its radiators (and their live state), its credentials and the rooms it may serve. */
export async function getGateway(db: Tx, opts: { gatewayId: string }) {
  const [row] = await withPlace(
    db.select({ ...gatewayPlace, buildingId: gateways.buildingId, dwellingId: gateways.dwellingId }).from(gateways).$dynamic(),
  ).where(eq(gateways.id, opts.gatewayId));
  const gateway = found(row, "Gateway");
  const [radiatorRows, credentials, roomOptions] = await Promise.all([
    db
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
    db
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
    db
      .select({ id: rooms.id, name: rooms.name, dwellingLabel: dwellings.label })
      .from(rooms)
      .leftJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
      .where(servedRoomsWhere(gateway))
      .orderBy(asc(dwellings.label), asc(rooms.name)),
  ]);
  return { gateway, radiators: radiatorRows, credentials, roomOptions };
}

/** Places a gateway in a building, or in one of its flats when `dwellingLabel` names one. */
export async function registerGateway(
  db: Tx,
  opts: { buildingId: string; dwellingLabel?: string; serial: string; firmwareVersion: string },
) {
  const [building] = await db.select({ id: buildings.id }).from(buildings).where(eq(buildings.id, opts.buildingId));
  found(building, "Building");
  let dwellingId: string | null = null;
  if (opts.dwellingLabel) {
    const [dwelling] = await db
      .select({ id: dwellings.id })
      .from(dwellings)
      .where(and(eq(dwellings.buildingId, opts.buildingId), eq(dwellings.label, opts.dwellingLabel)));
    if (!dwelling) throw new InvalidInputError(`No dwelling "${opts.dwellingLabel}" in this building.`, "dwellingLabel");
    dwellingId = dwelling.id;
  }
  try {
    const [gateway] = await db
      .insert(gateways)
      .values({ buildingId: opts.buildingId, dwellingId, serial: opts.serial, firmwareVersion: opts.firmwareVersion })
      .returning({ id: gateways.id, serial: gateways.serial });
    return gateway!;
  } catch (error) {
    if (isUniqueViolation(error, "gateways_serial_unique")) {
      throw new ConflictError(`A gateway with serial ${opts.serial} already exists.`, "serial");
    }
    throw error;
  }
}

/** Installs a radiator in a room its gateway serves. */
export async function registerRadiator(
  db: Tx,
  opts: { gatewayId: string; roomId: string; hardwareModelId: string; serial: string; installedOn: string },
) {
  const [gatewayRow] = await db
    .select({ id: gateways.id, buildingId: gateways.buildingId, dwellingId: gateways.dwellingId })
    .from(gateways)
    .where(eq(gateways.id, opts.gatewayId));
  const gateway = found(gatewayRow, "Gateway");
  const [room] = await db
    .select({ id: rooms.id, buildingId: rooms.buildingId, dwellingId: rooms.dwellingId })
    .from(rooms)
    .where(eq(rooms.id, opts.roomId));
  if (!room || !gatewayServesRoom(gateway, room)) throw new InvalidInputError("This room is not served by this gateway.", "roomId");
  const [model] = await db.select({ id: hardwareModels.id }).from(hardwareModels).where(eq(hardwareModels.id, opts.hardwareModelId));
  if (!model) throw new InvalidInputError("Unknown hardware model.", "hardwareModelId");
  try {
    const [radiator] = await db
      .insert(radiators)
      .values({ gatewayId: gateway.id, roomId: room.id, hardwareModelId: model.id, serial: opts.serial, installedOn: opts.installedOn })
      .returning({ id: radiators.id, serial: radiators.serial });
    return radiator!;
  } catch (error) {
    if (isUniqueViolation(error, "radiators_serial_unique")) {
      throw new ConflictError(`A radiator with serial ${opts.serial} already exists.`, "serial");
    }
    throw error;
  }
}

/** A new credential for a gateway; the token is in this answer only, the platform keeps its hash. */
export async function issueCredential(db: Tx, opts: { gatewayId: string; createdByUserId: string | null }) {
  const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.id, opts.gatewayId));
  return issueGatewayCredential(db, { gatewayId: found(gateway, "Gateway").id, createdByUserId: opts.createdByUserId });
}

/** `revoked: false` when it was already revoked. */
export async function revokeCredential(db: Tx, opts: { credentialId: string; now: Date }) {
  if (await revokeGatewayCredential(db, opts.credentialId, opts.now)) return { revoked: true };
  const [known] = await db
    .select({ id: gatewayCredentials.id })
    .from(gatewayCredentials)
    .where(eq(gatewayCredentials.id, opts.credentialId));
  found(known, "Credential");
  return { revoked: false };
}


/**
 * A page of the open meter anomalies of a gateway's radiators (deltas more than the hardware can
 * draw, held apart from metering until resolved), the latest first, and how many are open in all.
 */
export async function listMeterAnomalies(db: Tx, opts: { gatewayId: string; page: number; pageSize: number }) {
  const [gateway] = await db.select({ id: gateways.id }).from(gateways).where(eq(gateways.id, opts.gatewayId));
  const where = and(eq(radiators.gatewayId, found(gateway, "Gateway").id), isNull(meterAnomalies.resolvedAt));
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: meterAnomalies.id,
        radiatorId: radiators.id,
        radiatorSerial: radiators.serial,
        periodStart: meterAnomalies.periodStart,
        periodEnd: meterAnomalies.periodEnd,
        counterBeforeWh: meterAnomalies.counterBeforeWh,
        counterAfterWh: meterAnomalies.counterAfterWh,
        deltaWh: meterAnomalies.deltaWh,
        maxPlausibleWh: meterAnomalies.maxPlausibleWh,
        maxPowerW: meterAnomalies.maxPowerW,
        reason: meterAnomalies.reason,
        detectedAt: meterAnomalies.detectedAt,
      })
      .from(meterAnomalies)
      .innerJoin(radiators, eq(radiators.id, meterAnomalies.radiatorId))
      .where(where)
      .orderBy(desc(meterAnomalies.periodEnd), asc(radiators.serial))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(meterAnomalies)
      .innerJoin(radiators, eq(radiators.id, meterAnomalies.radiatorId))
      .where(where),
  ]);
  return { rows, total: count!.total };
}
