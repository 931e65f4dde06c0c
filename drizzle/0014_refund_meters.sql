CREATE TABLE "gateway_hourly" (
	"gateway_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"reading_count" integer NOT NULL,
	"energy_wh" bigint NOT NULL,
	"first_counter_wh" bigint NOT NULL,
	"last_counter_wh" bigint NOT NULL,
	"counter_restarts" integer DEFAULT 0 NOT NULL,
	"last_reading_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gateway_hourly_gateway_id_hour_start_pk" PRIMARY KEY("gateway_id","hour_start")
);
--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD COLUMN "first_counter_wh" bigint;--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD COLUMN "last_counter_wh" bigint;--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD COLUMN "counter_restarts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "gateway_hourly" ADD CONSTRAINT "gateway_hourly_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hours rolled up before these columns: their counters from the raw readings still kept.
UPDATE "telemetry_hourly" h SET "first_counter_wh" = r.first_wh, "last_counter_wh" = r.last_wh
FROM (
	SELECT radiator_id, date_trunc('hour', recorded_at, 'UTC') AS hour_start,
		(array_agg(energy_counter_wh ORDER BY recorded_at))[1] AS first_wh,
		(array_agg(energy_counter_wh ORDER BY recorded_at DESC))[1] AS last_wh
	FROM "telemetry_readings" GROUP BY 1, 2
) r
WHERE h.radiator_id = r.radiator_id AND h.hour_start = r.hour_start AND h.last_counter_wh IS NULL;
