CREATE TABLE "telemetry_daily" (
	"radiator_id" uuid NOT NULL,
	"day" date NOT NULL,
	"reading_count" integer NOT NULL,
	"room_temp_sum_c" double precision NOT NULL,
	"setpoint_sum_c" double precision NOT NULL,
	"power_sum_w" bigint NOT NULL,
	"cores_active_sum" bigint NOT NULL,
	"energy_wh" bigint NOT NULL,
	"idle_energy_wh" bigint NOT NULL,
	CONSTRAINT "telemetry_daily_radiator_id_day_pk" PRIMARY KEY("radiator_id","day")
);
--> statement-breakpoint
CREATE TABLE "outdoor_temperatures" (
	"site_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"temp_c" real NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "outdoor_temperatures_site_id_hour_start_pk" PRIMARY KEY("site_id","hour_start")
);
--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD COLUMN "rolled_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "telemetry_daily" ADD CONSTRAINT "telemetry_daily_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outdoor_temperatures" ADD CONSTRAINT "outdoor_temperatures_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "telemetry_hourly_pending_idx" ON "telemetry_hourly" USING btree ("radiator_id","hour_start") WHERE not "telemetry_hourly"."rolled_up";