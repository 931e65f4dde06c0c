import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { buildings, dwellings, gateways, hardwareModels, radiators, refundEnrolments, rooms, sites } from "@/server/db/schema";
import { pgArray } from "@/server/db/sql-params";
import { organizationIdByName } from "./db";

/**
 * A dwelling of its own for refund tests: a Brussels site (country BE, whose tariffs are the
 * test's), a flat with two rooms, a radiator in each, and the flat's own gateway. Nothing of the
 * demo fleet is touched, so the demo's enrolments and the FR tariffs stay as they are.
 */
export async function makeRefundDwelling(db: Db, tag: string) {
  const organizationId = await organizationIdByName(db, "Paris Habitat Ouest");
  const [model] = await db.select({ id: hardwareModels.id }).from(hardwareModels).limit(1);
  const [site] = await db
    .insert(sites)
    .values({ organizationId, name: `${tag} site`, city: "Bruxelles", countryCode: "BE", climateZone: "H1", timeZone: "Europe/Brussels", kind: "housing" })
    .returning({ id: sites.id });
  const [building] = await db.insert(buildings).values({ siteId: site!.id, name: `${tag} building`, address: "1 rue du Test" }).returning({ id: buildings.id });
  const [dwelling] = await db.insert(dwellings).values({ buildingId: building!.id, label: `${tag}-1`, floor: 1 }).returning({ id: dwellings.id });
  const [living, bedroom] = await db
    .insert(rooms)
    .values([
      { buildingId: building!.id, dwellingId: dwelling!.id, name: "Séjour", areaM2: 20 },
      { buildingId: building!.id, dwellingId: dwelling!.id, name: String.raw`Chambre "bleue", côté cour \ nord`, areaM2: 12 },
    ])
    .returning({ id: rooms.id });
  const [gateway] = await db
    .insert(gateways)
    .values({ serial: `GW-${tag}`, buildingId: building!.id, dwellingId: dwelling!.id, firmwareVersion: "2.4.1" })
    .returning({ id: gateways.id });
  const [a, b] = await db
    .insert(radiators)
    .values([
      { serial: `QRAD-${tag}-A`, gatewayId: gateway!.id, roomId: living!.id, hardwareModelId: model!.id, installedOn: "2025-01-10" },
      { serial: `QRAD-${tag}-B`, gatewayId: gateway!.id, roomId: bedroom!.id, hardwareModelId: model!.id, installedOn: "2026-03-20" },
    ])
    .returning({ id: radiators.id });
  return { siteId: site!.id, buildingId: building!.id, dwellingId: dwelling!.id, gatewayId: gateway!.id, radiatorA: a!.id, radiatorB: b!.id };
}

export type RefundDwelling = Awaited<ReturnType<typeof makeRefundDwelling>>;

/** Enrols a dwelling as the enrolment pages would (the IBAN sealed; any opaque text does here). */
export async function enrol(db: Db, dwellingId: string, consentAt: Date) {
  const [row] = await db
    .insert(refundEnrolments)
    .values({
      dwellingId,
      holderName: "Camille Martin",
      deliveryPoint: "12345678901234",
      ibanEncrypted: "sealed:test",
      ibanMasked: "FR76 •••• •••• •••• 0189",
      consentAt,
      createdAt: consentAt,
    })
    .returning({ id: refundEnrolments.id });
  return row!.id;
}

type Hour = { at: string; energyWh: number; first: number; last: number; restarts?: number; readings?: number };

/** Hourly rollup rows as the report handler leaves them (see server/device/report.ts). */
export async function radiatorHours(db: Db, radiatorId: string, hours: Hour[]) {
  for (const h of hours) {
    await db.execute(sql`
      insert into telemetry_hourly (radiator_id, hour_start, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w, max_power_w,
        cores_active_sum, cores_wanted_sum, energy_wh, idle_energy_wh, first_counter_wh, last_counter_wh, counter_restarts)
      values (${radiatorId}, ${h.at}, ${h.readings ?? 4}, 80, 80, 1000, 400, 0, 0, ${h.energyWh}, ${h.energyWh}, ${h.first}, ${h.last}, ${h.restarts ?? 0})`);
  }
}

export async function gatewayHours(db: Db, gatewayId: string, hours: Hour[]) {
  for (const h of hours) {
    await db.execute(sql`
      insert into gateway_hourly (gateway_id, hour_start, reading_count, energy_wh, first_counter_wh, last_counter_wh, counter_restarts, last_reading_at)
      values (${gatewayId}, ${h.at}, ${h.readings ?? 1}, ${h.energyWh}, ${h.first}, ${h.last}, ${h.restarts ?? 0}, ${h.at})`);
  }
}

/** Removes a test dwelling with everything the close wrote for it, and the closes and tariffs of the test. */
export async function dropRefundDwelling(db: Db, d: RefundDwelling, opts: { tariffSource: string; closeIds: number[] }) {
  const closes = pgArray(opts.closeIds);
  await db.execute(sql`delete from refund_payments where statement_id in (select id from refund_statements
    where dwelling_id = ${d.dwellingId} or close_id = any(${closes}::bigint[]))`);
  await db.execute(sql`delete from refund_statement_lines where statement_id in (select id from refund_statements
    where dwelling_id = ${d.dwellingId} or close_id = any(${closes}::bigint[]))`);
  await db.execute(sql`delete from refund_statements where dwelling_id = ${d.dwellingId} or close_id = any(${closes}::bigint[])`);
  await db.execute(sql`delete from refund_closes where id = any(${closes}::bigint[])`);
  await db.execute(sql`delete from refund_enrolments where dwelling_id = ${d.dwellingId}`);
  await db.execute(sql`delete from tariff_versions where source = ${opts.tariffSource}`);
  await db.delete(radiators).where(inArray(radiators.id, [d.radiatorA, d.radiatorB]));
  await db.delete(gateways).where(inArray(gateways.id, [d.gatewayId]));
  await db.delete(sites).where(inArray(sites.id, [d.siteId]));
}
