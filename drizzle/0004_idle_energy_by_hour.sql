ALTER TABLE "telemetry_hourly" ADD COLUMN "idle_energy_wh" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD COLUMN "idle_core_seconds" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Idle ledger lines (no customer) move to their radiator's hour: the hour of the line's last
-- reading, as the report handler keys both.
INSERT INTO "telemetry_hourly" ("radiator_id", "hour_start", "reading_count", "room_temp_sum_c", "setpoint_sum_c",
  "power_sum_w", "max_power_w", "cores_active_sum", "cores_wanted_sum", "idle_energy_wh", "idle_core_seconds")
SELECT "radiator_id", date_trunc('hour', "period_end", 'UTC'), 0, 0, 0, 0, 0, 0, 0, sum("energy_wh"), sum("core_seconds")
FROM "energy_allocations" WHERE "organization_id" IS NULL
GROUP BY 1, 2
ON CONFLICT ("radiator_id", "hour_start") DO UPDATE SET
  "idle_energy_wh" = "telemetry_hourly"."idle_energy_wh" + excluded."idle_energy_wh",
  "idle_core_seconds" = "telemetry_hourly"."idle_core_seconds" + excluded."idle_core_seconds";--> statement-breakpoint
DELETE FROM "energy_allocations" WHERE "organization_id" IS NULL;--> statement-breakpoint
ALTER TABLE "energy_allocations" ALTER COLUMN "organization_id" SET NOT NULL;
