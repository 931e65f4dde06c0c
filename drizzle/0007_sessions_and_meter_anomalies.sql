CREATE TYPE "public"."meter_anomaly_reason" AS ENUM('exceeds_hardware_power');--> statement-breakpoint
CREATE TYPE "public"."meter_anomaly_resolution" AS ENUM('accepted', 'rejected');--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meter_anomalies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meter_anomalies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"radiator_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"counter_before_wh" bigint NOT NULL,
	"counter_after_wh" bigint NOT NULL,
	"delta_wh" bigint NOT NULL,
	"max_plausible_wh" bigint NOT NULL,
	"max_power_w" integer NOT NULL,
	"reason" "meter_anomaly_reason" NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_user_id" uuid,
	"resolution" "meter_anomaly_resolution",
	CONSTRAINT "meter_anomalies_resolved_together" CHECK (("meter_anomalies"."resolved_at" is null) = ("meter_anomalies"."resolution" is null))
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_anomalies" ADD CONSTRAINT "meter_anomalies_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_anomalies" ADD CONSTRAINT "meter_anomalies_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meter_anomalies_radiator_period_idx" ON "meter_anomalies" USING btree ("radiator_id","period_end");