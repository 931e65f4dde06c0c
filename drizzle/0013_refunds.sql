CREATE TYPE "public"."refund_line_kind" AS ENUM('radiator', 'gateway', 'adjustment');--> statement-breakpoint
CREATE TABLE "refund_closes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "refund_closes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" date NOT NULL,
	"run_by_user_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"statements_written" integer DEFAULT 0 NOT NULL,
	"statements_already_closed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refund_enrolments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "refund_enrolments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"dwelling_id" uuid NOT NULL,
	"user_id" uuid,
	"holder_name" text NOT NULL,
	"delivery_point" text NOT NULL,
	"iban_encrypted" text NOT NULL,
	"iban_masked" text NOT NULL,
	"bic" text,
	"tariff_option" text DEFAULT 'base-6kva' NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refund_enrolments_delivery_point_digits" CHECK ("refund_enrolments"."delivery_point" ~ '^[0-9]{14}$')
);
--> statement-breakpoint
CREATE TABLE "refund_payments" (
	"statement_id" uuid PRIMARY KEY NOT NULL,
	"amount_cents" bigint NOT NULL,
	"reference" text NOT NULL,
	"paid_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "refund_statement_lines" (
	"statement_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "refund_line_kind" NOT NULL,
	"radiator_id" uuid,
	"gateway_id" uuid,
	"device_serial" text NOT NULL,
	"room_name" text,
	"energy_month" date NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"meter_start_wh" bigint,
	"meter_end_wh" bigint,
	"energy_wh" bigint NOT NULL,
	"tariff_version_id" bigint NOT NULL,
	"price_micro_euros_per_kwh" integer NOT NULL,
	"amount_cents" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refund_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dwelling_id" uuid NOT NULL,
	"month" date NOT NULL,
	"close_id" bigint NOT NULL,
	"enrolment_id" bigint NOT NULL,
	"energy_wh" bigint NOT NULL,
	"amount_cents" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tariff_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"country" text NOT NULL,
	"option" text NOT NULL,
	"label" text NOT NULL,
	"effective_from" date NOT NULL,
	"price_micro_euros_per_kwh" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid,
	CONSTRAINT "tariff_versions_price_positive" CHECK ("tariff_versions"."price_micro_euros_per_kwh" > 0)
);
--> statement-breakpoint
ALTER TABLE "refund_closes" ADD CONSTRAINT "refund_closes_run_by_user_id_users_id_fk" FOREIGN KEY ("run_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_enrolments" ADD CONSTRAINT "refund_enrolments_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_enrolments" ADD CONSTRAINT "refund_enrolments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_payments" ADD CONSTRAINT "refund_payments_statement_id_refund_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."refund_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_payments" ADD CONSTRAINT "refund_payments_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statement_lines" ADD CONSTRAINT "refund_statement_lines_statement_id_refund_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."refund_statements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statement_lines" ADD CONSTRAINT "refund_statement_lines_radiator_id_radiators_id_fk" FOREIGN KEY ("radiator_id") REFERENCES "public"."radiators"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statement_lines" ADD CONSTRAINT "refund_statement_lines_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statement_lines" ADD CONSTRAINT "refund_statement_lines_tariff_version_id_tariff_versions_id_fk" FOREIGN KEY ("tariff_version_id") REFERENCES "public"."tariff_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statements" ADD CONSTRAINT "refund_statements_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statements" ADD CONSTRAINT "refund_statements_close_id_refund_closes_id_fk" FOREIGN KEY ("close_id") REFERENCES "public"."refund_closes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_statements" ADD CONSTRAINT "refund_statements_enrolment_id_refund_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."refund_enrolments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_versions" ADD CONSTRAINT "tariff_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refund_closes_month_idx" ON "refund_closes" USING btree ("month");--> statement-breakpoint
CREATE INDEX "refund_enrolments_dwelling_idx" ON "refund_enrolments" USING btree ("dwelling_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "refund_statement_lines_position_idx" ON "refund_statement_lines" USING btree ("statement_id","position");--> statement-breakpoint
CREATE INDEX "refund_statement_lines_radiator_idx" ON "refund_statement_lines" USING btree ("radiator_id","energy_month");--> statement-breakpoint
CREATE INDEX "refund_statement_lines_gateway_idx" ON "refund_statement_lines" USING btree ("gateway_id","energy_month");--> statement-breakpoint
CREATE UNIQUE INDEX "refund_statements_dwelling_month_idx" ON "refund_statements" USING btree ("dwelling_id","month");--> statement-breakpoint
CREATE INDEX "refund_statements_month_idx" ON "refund_statements" USING btree ("month");--> statement-breakpoint
CREATE INDEX "tariff_versions_lookup_idx" ON "tariff_versions" USING btree ("country","option","effective_from");