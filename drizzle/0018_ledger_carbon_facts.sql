ALTER TABLE "energy_allocations" ADD COLUMN "site_id" uuid;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD COLUMN "wanted_energy_mwh" bigint;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD COLUMN "gateway_energy_mwh" bigint;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD COLUMN "machine_ms" bigint;--> statement-breakpoint
-- Rows metered before these columns: their site and machine time from the radiator, the wanted
-- part from their radiator-hour's thermostat, the gateway's share from its meter's hour.
UPDATE "energy_allocations" e SET
  "site_id" = b.site_id,
  "machine_ms" = round(e.core_seconds * 1000.0 / h.cores),
  "wanted_energy_mwh" = round(e.energy_wh * 1000.0 * coalesce((
    SELECT least(1.0, th.cores_wanted_sum::float8 / nullif(th.cores_active_sum, 0)) FROM telemetry_hourly th
    WHERE th.radiator_id = e.radiator_id AND th.hour_start = date_trunc('hour', e.period_end, 'UTC')), 0)),
  "gateway_energy_mwh" = round(coalesce((
    SELECT gh.energy_wh * 1000.0 * e.energy_wh / nullif((
      SELECT sum(th.energy_wh) FROM radiators r2 JOIN telemetry_hourly th ON th.radiator_id = r2.id
      WHERE r2.gateway_id = r.gateway_id AND th.hour_start = gh.hour_start), 0)
    FROM gateway_hourly gh WHERE gh.gateway_id = r.gateway_id AND gh.hour_start = date_trunc('hour', e.period_end, 'UTC')), 0))
FROM radiators r
JOIN gateways g ON g.id = r.gateway_id
JOIN buildings b ON b.id = g.building_id
JOIN hardware_models h ON h.id = r.hardware_model_id
WHERE r.id = e.radiator_id;--> statement-breakpoint
ALTER TABLE "energy_allocations" ALTER COLUMN "site_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "energy_allocations" ALTER COLUMN "wanted_energy_mwh" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "energy_allocations" ALTER COLUMN "gateway_energy_mwh" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "energy_allocations" ALTER COLUMN "machine_ms" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD CONSTRAINT "energy_allocations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "energy_allocations_organization_idx" ON "energy_allocations" USING btree ("organization_id","period_end");
