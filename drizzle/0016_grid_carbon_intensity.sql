CREATE TABLE "grid_intensity_hourly" (
	"country" text NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"intensity_mg_per_kwh" integer NOT NULL,
	"import_id" bigint NOT NULL,
	CONSTRAINT "grid_intensity_hourly_country_hour_start_pk" PRIMARY KEY("country","hour_start"),
	CONSTRAINT "grid_intensity_hourly_positive" CHECK ("grid_intensity_hourly"."intensity_mg_per_kwh" >= 0)
);
--> statement-breakpoint
CREATE TABLE "grid_intensity_imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "grid_intensity_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"country" text NOT NULL,
	"source" text NOT NULL,
	"file_name" text NOT NULL,
	"hours" integer NOT NULL,
	"first_hour_start" timestamp with time zone NOT NULL,
	"last_hour_start" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "grid_intensity_versions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "grid_intensity_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"country" text NOT NULL,
	"effective_from" date NOT NULL,
	"intensity_mg_per_kwh" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid,
	CONSTRAINT "grid_intensity_versions_positive" CHECK ("grid_intensity_versions"."intensity_mg_per_kwh" >= 0)
);
--> statement-breakpoint
ALTER TABLE "grid_intensity_hourly" ADD CONSTRAINT "grid_intensity_hourly_import_id_grid_intensity_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."grid_intensity_imports"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_intensity_imports" ADD CONSTRAINT "grid_intensity_imports_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_intensity_versions" ADD CONSTRAINT "grid_intensity_versions_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grid_intensity_versions_lookup_idx" ON "grid_intensity_versions" USING btree ("country","effective_from");