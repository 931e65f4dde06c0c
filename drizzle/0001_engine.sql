CREATE TYPE "public"."attempt_state" AS ENUM('dispatched', 'running', 'succeeded', 'failed', 'lost', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."instance_state" AS ENUM('waiting', 'queued', 'dispatched', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('Active', 'Terminated', 'Completed');--> statement-breakpoint
CREATE TYPE "public"."log_stream" AS ENUM('stdout', 'stderr');--> statement-breakpoint
CREATE TYPE "public"."scheduling_type" AS ENUM('Reserved', 'OnDemand', 'Flex');--> statement-breakpoint
CREATE TABLE "instance_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "instance_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"instance_id" bigint NOT NULL,
	"radiator_id" uuid NOT NULL,
	"attempt_number" smallint NOT NULL,
	"cores_assigned" smallint NOT NULL,
	"state" "attempt_state" DEFAULT 'dispatched' NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"exit_code" integer,
	"core_seconds" bigint DEFAULT 0 NOT NULL,
	"energy_wh" bigint DEFAULT 0 NOT NULL,
	"billable" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance_logs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "instance_logs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"instance_id" bigint NOT NULL,
	"attempt_id" bigint NOT NULL,
	"stream" "log_stream" NOT NULL,
	"chunk_seq" integer NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance_outputs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "instance_outputs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"instance_id" bigint NOT NULL,
	"attempt_id" bigint NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instances" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "instances_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"task_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"instance_number" integer NOT NULL,
	"priority_class" smallint NOT NULL,
	"cores_needed" smallint NOT NULL,
	"min_cores" smallint NOT NULL,
	"min_ram_gb" integer NOT NULL,
	"requires_container_runtime" boolean NOT NULL,
	"state" "instance_state" NOT NULL,
	"radiator_id" uuid,
	"attempt_count" smallint DEFAULT 0 NOT NULL,
	"max_attempts" smallint NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"progress_pct" real,
	"exit_code" integer,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"state" "job_state" DEFAULT 'Active' NOT NULL,
	"use_dependencies" boolean DEFAULT false NOT NULL,
	"max_wall_time_s" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"cores_per_instance" smallint DEFAULT 1 NOT NULL,
	"min_ram_gb" integer DEFAULT 1 NOT NULL,
	"requires_container_runtime" boolean DEFAULT false NOT NULL,
	"expected_core_seconds_per_instance" integer NOT NULL,
	CONSTRAINT "profiles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "task_dependencies" (
	"task_id" uuid NOT NULL,
	"depends_on_task_id" uuid NOT NULL,
	CONSTRAINT "task_dependencies_task_id_depends_on_task_id_pk" PRIMARY KEY("task_id","depends_on_task_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"job_id" uuid,
	"profile_id" uuid NOT NULL,
	"name" text NOT NULL,
	"constants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"instance_ranges" text NOT NULL,
	"instance_count" integer NOT NULL,
	"scheduling_type" "scheduling_type" DEFAULT 'Flex' NOT NULL,
	"donated" boolean DEFAULT false NOT NULL,
	"cores_per_instance" smallint NOT NULL,
	"min_cores" smallint DEFAULT 1 NOT NULL,
	"min_ram_gb" integer DEFAULT 1 NOT NULL,
	"requires_container_runtime" boolean DEFAULT false NOT NULL,
	"max_wall_time_s" integer,
	"max_attempts_per_instance" smallint DEFAULT 3 NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "energy_allocations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "energy_allocations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"radiator_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"attempt_id" bigint,
	"core_seconds" bigint NOT NULL,
	"energy_wh" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gateway_id" uuid NOT NULL,
	"token_prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "gateway_credentials_token_prefix_unique" UNIQUE("token_prefix")
);
--> statement-breakpoint
CREATE TABLE "gateway_reports" (
	"gateway_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"response" jsonb NOT NULL,
	CONSTRAINT "gateway_reports_gateway_id_seq_pk" PRIMARY KEY("gateway_id","seq")
);
--> statement-breakpoint
CREATE TABLE "radiator_states" (
	"radiator_id" uuid PRIMARY KEY NOT NULL,
	"last_reading_at" timestamp with time zone,
	"room_temp_c" real,
	"setpoint_c" real,
	"power_w" integer,
	"energy_counter_wh" bigint,
	"cores_active" smallint DEFAULT 0 NOT NULL,
	"cores_wanted" smallint DEFAULT 0 NOT NULL,
	"cores_assigned" smallint DEFAULT 0 NOT NULL,
	"current_organization_id" uuid,
	"container_runtime" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telemetry_hourly" (
	"radiator_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"reading_count" integer NOT NULL,
	"room_temp_sum_c" real NOT NULL,
	"setpoint_sum_c" real NOT NULL,
	"power_sum_w" bigint NOT NULL,
	"max_power_w" integer NOT NULL,
	"cores_active_sum" bigint NOT NULL,
	"cores_wanted_sum" bigint NOT NULL,
	"energy_wh" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "telemetry_hourly_radiator_id_hour_start_pk" PRIMARY KEY("radiator_id","hour_start")
);
--> statement-breakpoint
CREATE TABLE "telemetry_readings" (
	"radiator_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"room_temp_c" real NOT NULL,
	"setpoint_c" real NOT NULL,
	"power_w" integer NOT NULL,
	"energy_counter_wh" bigint NOT NULL,
	"cores_active" smallint NOT NULL,
	"cores_wanted" smallint NOT NULL,
	CONSTRAINT "telemetry_readings_radiator_id_recorded_at_pk" PRIMARY KEY("radiator_id","recorded_at")
);
--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "target_temp_c" real;--> statement-breakpoint
ALTER TABLE "instance_attempts" ADD CONSTRAINT "instance_attempts_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_attempts" ADD CONSTRAINT "instance_attempts_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_logs" ADD CONSTRAINT "instance_logs_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_logs" ADD CONSTRAINT "instance_logs_attempt_id_instance_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."instance_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_outputs" ADD CONSTRAINT "instance_outputs_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_outputs" ADD CONSTRAINT "instance_outputs_attempt_id_instance_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."instance_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_depends_on_task_id_tasks_id_fk" FOREIGN KEY ("depends_on_task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD CONSTRAINT "energy_allocations_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD CONSTRAINT "energy_allocations_attempt_id_instance_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."instance_attempts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_credentials" ADD CONSTRAINT "gateway_credentials_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_credentials" ADD CONSTRAINT "gateway_credentials_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_reports" ADD CONSTRAINT "gateway_reports_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiator_states" ADD CONSTRAINT "radiator_states_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiator_states" ADD CONSTRAINT "radiator_states_current_organization_id_organizations_id_fk" FOREIGN KEY ("current_organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_hourly" ADD CONSTRAINT "telemetry_hourly_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_attempts_instance_idx" ON "instance_attempts" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "instance_attempts_radiator_ended_idx" ON "instance_attempts" USING btree ("radiator_id","ended_at");--> statement-breakpoint
CREATE INDEX "instance_attempts_radiator_active_idx" ON "instance_attempts" USING btree ("radiator_id") WHERE "instance_attempts"."state" in ('dispatched', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "instance_logs_chunk_idx" ON "instance_logs" USING btree ("attempt_id","stream","chunk_seq");--> statement-breakpoint
CREATE INDEX "instance_logs_instance_idx" ON "instance_logs" USING btree ("instance_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "instance_outputs_name_idx" ON "instance_outputs" USING btree ("attempt_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "instances_task_number_idx" ON "instances" USING btree ("task_id","instance_number");--> statement-breakpoint
CREATE INDEX "instances_queue_idx" ON "instances" USING btree ("priority_class","organization_id","queued_at","id") WHERE "instances"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "instances_radiator_active_idx" ON "instances" USING btree ("radiator_id") WHERE "instances"."state" in ('dispatched', 'running');--> statement-breakpoint
CREATE INDEX "jobs_organization_idx" ON "jobs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_organization_idx" ON "tasks" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_job_idx" ON "tasks" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "energy_allocations_radiator_idx" ON "energy_allocations" USING btree ("radiator_id","period_end");--> statement-breakpoint
CREATE INDEX "energy_allocations_attempt_idx" ON "energy_allocations" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "gateway_credentials_gateway_idx" ON "gateway_credentials" USING btree ("gateway_id");--> statement-breakpoint
CREATE INDEX "radiator_states_wanting_idx" ON "radiator_states" USING btree ("radiator_id") WHERE "radiator_states"."cores_wanted" > "radiator_states"."cores_assigned";