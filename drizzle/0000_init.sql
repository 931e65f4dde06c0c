CREATE TYPE "public"."organization_kind" AS ENUM('customer', 'landlord', 'operator');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('customer', 'resident', 'landlord', 'staff');--> statement-breakpoint
CREATE TYPE "public"."site_kind" AS ENUM('housing', 'all_year_heat_sink');--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "organization_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sign_in_failures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"ip_address" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"organization_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwellings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"building_id" uuid NOT NULL,
	"label" text NOT NULL,
	"floor" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"serial" text NOT NULL,
	"building_id" uuid NOT NULL,
	"dwelling_id" uuid,
	"firmware_version" text NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gateways_serial_unique" UNIQUE("serial")
);
--> statement-breakpoint
CREATE TABLE "hardware_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"max_power_w" integer NOT NULL,
	"cores" integer NOT NULL,
	"ram_gb" integer NOT NULL,
	CONSTRAINT "hardware_models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "radiators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"serial" text NOT NULL,
	"gateway_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"hardware_model_id" uuid NOT NULL,
	"installed_on" date NOT NULL,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "radiators_serial_unique" UNIQUE("serial")
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"dwelling_id" uuid NOT NULL,
	"moved_in_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"building_id" uuid NOT NULL,
	"dwelling_id" uuid,
	"name" text NOT NULL,
	"area_m2" double precision NOT NULL,
	CONSTRAINT "rooms_area_positive" CHECK ("rooms"."area_m2" > 0)
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"country_code" text DEFAULT 'FR' NOT NULL,
	"climate_zone" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Paris' NOT NULL,
	"kind" "site_kind" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dwellings" ADD CONSTRAINT "dwellings_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateways" ADD CONSTRAINT "gateways_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateways" ADD CONSTRAINT "gateways_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiators" ADD CONSTRAINT "radiators_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiators" ADD CONSTRAINT "radiators_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiators" ADD CONSTRAINT "radiators_hardware_model_id_hardware_models_id_fk" FOREIGN KEY ("hardware_model_id") REFERENCES "public"."hardware_models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_dwelling_id_dwellings_id_fk" FOREIGN KEY ("dwelling_id") REFERENCES "public"."dwellings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_failures_email_idx" ON "sign_in_failures" USING btree ("email","failed_at");--> statement-breakpoint
CREATE INDEX "sign_in_failures_ip_idx" ON "sign_in_failures" USING btree ("ip_address","failed_at");--> statement-breakpoint
CREATE INDEX "users_organization_idx" ON "users" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "buildings_site_idx" ON "buildings" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dwellings_building_label_idx" ON "dwellings" USING btree ("building_id","label");--> statement-breakpoint
CREATE INDEX "gateways_building_idx" ON "gateways" USING btree ("building_id");--> statement-breakpoint
CREATE INDEX "radiators_gateway_idx" ON "radiators" USING btree ("gateway_id");--> statement-breakpoint
CREATE INDEX "radiators_room_idx" ON "radiators" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "residents_dwelling_idx" ON "residents" USING btree ("dwelling_id");--> statement-breakpoint
CREATE INDEX "rooms_dwelling_idx" ON "rooms" USING btree ("dwelling_id");--> statement-breakpoint
CREATE INDEX "rooms_building_idx" ON "rooms" USING btree ("building_id");--> statement-breakpoint
CREATE INDEX "sites_organization_idx" ON "sites" USING btree ("organization_id");