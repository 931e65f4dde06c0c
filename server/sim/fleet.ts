import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { jsonb } from "@/server/db/sql-params";
import { climateForSite, type ClimateKey } from "@/server/domain/weather";

/**
 * The fleet the simulator plays, read from the platform's database once at start: what an
 * installer knows when provisioning gateways (which radiators hang on which gateway, in which
 * room of which flat, of which hardware model), plus what each radiator would remember across a
 * restart of the simulator (its meter, its room's temperature) and each gateway's last report
 * number. Reading is all this module does; everything the simulator writes goes through the
 * device protocol.
 *
 * Keys that seed the models (households, weather, outages) are names (site, building, flat,
 * serial), never database ids, so two databases seeded alike simulate alike.
 */

export type SiteKind = "housing" | "all_year_heat_sink";

export type SiteSpec = Readonly<{ key: string; climate: ClimateKey; kind: SiteKind }>;

export type RoomSpec = Readonly<{
  id: string;
  /** building|flat|room name: stable across databases. */
  key: string;
  name: string;
  areaM2: number;
  /** building|flat, or null for a plant room. */
  dwellingKey: string | null;
  site: SiteSpec;
}>;

export type HardwareSpec = Readonly<{ name: string; cores: number; maxPowerW: number; ramGb: number }>;

/** What the radiator itself would remember across a restart of the simulator. */
export type RadiatorMemory = Readonly<{ lastReadingMs: number | null; energyCounterWh: number | null; roomTempC: number | null }>;

export type RadiatorSpec = Readonly<{
  id: string;
  serial: string;
  gatewaySerial: string;
  room: RoomSpec;
  hardware: HardwareSpec;
  installedOn: string;
  memory: RadiatorMemory;
}>;

export type GatewaySpec = Readonly<{ id: string; serial: string; radiators: readonly RadiatorSpec[]; lastSeq: number }>;

export type FleetSpec = Readonly<{
  gateways: readonly GatewaySpec[];
  /** Expected core-seconds of one instance, per profile name (the platform's reference data). */
  profileCoreSeconds: ReadonlyMap<string, number>;
}>;

type Row = {
  gateway_id: string;
  gateway_serial: string;
  radiator_id: string;
  serial: string;
  installed_on: string;
  room_id: string;
  room_name: string;
  area_m2: number;
  dwelling_label: string | null;
  building_name: string;
  site_name: string;
  city: string;
  climate_zone: string;
  site_kind: SiteKind;
  model_name: string;
  cores: number;
  max_power_w: number;
  ram_gb: number;
  last_reading_ms: number | null;
  energy_counter_wh: string | number | null;
  room_temp_c: number | null;
};

/**
 * The gateways named by serial (all gateways when omitted), with their radiators, in serial
 * order. A gateway with a live credential issued by a staff member is a real one (staff issue
 * credentials to hardware in the admin console; the simulator issues its own with no user): it
 * is left out, so a real gateway takes a simulated one's place by being given a credential.
 */
export async function loadFleet(db: Db, opts: { gatewaySerials?: readonly string[] } = {}): Promise<FleetSpec> {
  const filter = sql`where not exists (select 1 from gateway_credentials c
      where c.gateway_id = g.id and c.revoked_at is null and c.created_by_user_id is not null)
    ${opts.gatewaySerials ? sql`and g.serial in (select jsonb_array_elements_text(${jsonb(opts.gatewaySerials)}))` : sql``}`;
  const rows = await db.execute<Row>(sql`
    select g.id as gateway_id, g.serial as gateway_serial, r.id as radiator_id, r.serial, r.installed_on::text as installed_on,
      ro.id as room_id, ro.name as room_name, ro.area_m2, d.label as dwelling_label,
      b.name as building_name, s.name as site_name, s.city, s.climate_zone, s.kind::text as site_kind,
      h.name as model_name, h.cores, h.max_power_w, h.ram_gb,
      (extract(epoch from rs.last_reading_at) * 1000)::float8 as last_reading_ms, rs.energy_counter_wh, rs.room_temp_c
    from gateways g
    join radiators r on r.gateway_id = g.id
    join rooms ro on ro.id = r.room_id
    left join dwellings d on d.id = ro.dwelling_id
    join buildings b on b.id = ro.building_id
    join sites s on s.id = b.site_id
    join hardware_models h on h.id = r.hardware_model_id
    left join radiator_states rs on rs.radiator_id = r.id
    ${filter}
    order by g.serial, r.serial`);
  // The gateway's report counter (a real gateway keeps it in its own storage): one index probe per gateway.
  const seqs = await db.execute<{ gateway_id: string; seq: string | number | null }>(sql`
    select g.id as gateway_id, (select max(r.seq) from gateway_reports r where r.gateway_id = g.id) as seq
    from gateways g ${filter}`);
  const lastSeq = new Map(seqs.map((s) => [s.gateway_id, s.seq === null ? 0 : Number(s.seq)]));
  const profileRows = await db.execute<{ name: string; seconds: number }>(sql`
    select name, expected_core_seconds_per_instance as seconds from profiles`);

  const sites = new Map<string, SiteSpec>();
  const rooms = new Map<string, RoomSpec>();
  const hardware = new Map<string, HardwareSpec>();
  const gateways = new Map<string, { id: string; serial: string; radiators: RadiatorSpec[]; lastSeq: number }>();
  for (const r of rows) {
    let site = sites.get(r.site_name);
    if (!site) {
      site = Object.freeze({ key: r.site_name, climate: climateForSite({ city: r.city, climateZone: r.climate_zone }), kind: r.site_kind });
      sites.set(r.site_name, site);
    }
    let room = rooms.get(r.room_id);
    if (!room) {
      const dwellingKey = r.dwelling_label === null ? null : `${r.building_name}|${r.dwelling_label}`;
      room = Object.freeze({
        id: r.room_id,
        key: `${r.building_name}|${r.dwelling_label ?? ""}|${r.room_name}`,
        name: r.room_name,
        areaM2: Number(r.area_m2),
        dwellingKey,
        site,
      });
      rooms.set(r.room_id, room);
    }
    let model = hardware.get(r.model_name);
    if (!model) {
      model = Object.freeze({ name: r.model_name, cores: r.cores, maxPowerW: r.max_power_w, ramGb: r.ram_gb });
      hardware.set(r.model_name, model);
    }
    let gateway = gateways.get(r.gateway_id);
    if (!gateway) {
      gateway = { id: r.gateway_id, serial: r.gateway_serial, radiators: [], lastSeq: lastSeq.get(r.gateway_id) ?? 0 };
      gateways.set(r.gateway_id, gateway);
    }
    gateway.radiators.push(
      Object.freeze({
        id: r.radiator_id,
        serial: r.serial,
        gatewaySerial: r.gateway_serial,
        room,
        hardware: model,
        installedOn: r.installed_on,
        memory: Object.freeze({
          lastReadingMs: r.last_reading_ms === null ? null : Number(r.last_reading_ms),
          energyCounterWh: r.energy_counter_wh === null ? null : Number(r.energy_counter_wh),
          roomTempC: r.room_temp_c,
        }),
      }),
    );
  }
  return Object.freeze({
    gateways: [...gateways.values()].map((g) => Object.freeze({ ...g, radiators: Object.freeze(g.radiators) })),
    profileCoreSeconds: new Map(profileRows.map((p) => [p.name, Number(p.seconds)])),
  });
}

/** Number of radiators in a fleet. */
export function radiatorCount(fleet: FleetSpec): number {
  return fleet.gateways.reduce((n, g) => n + g.radiators.length, 0);
}

/** The newest reading any radiator of the fleet has on the platform, or null for a fleet never heard of. */
export function newestReadingMs(fleet: FleetSpec): number | null {
  let newest: number | null = null;
  for (const g of fleet.gateways)
    for (const r of g.radiators) if (r.memory.lastReadingMs !== null && (newest === null || r.memory.lastReadingMs > newest)) newest = r.memory.lastReadingMs;
  return newest;
}
