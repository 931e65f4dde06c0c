CREATE TYPE "public"."heating_actor" AS ENUM('resident', 'programme', 'thermostat', 'staff');--> statement-breakpoint
CREATE TYPE "public"."heating_mode" AS ENUM('off', 'frost', 'eco', 'comfort', 'programme', 'boost');--> statement-breakpoint
CREATE TABLE "heating_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "heating_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"room_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" "heating_actor" NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_heating" (
	"room_id" uuid PRIMARY KEY NOT NULL,
	"mode" "heating_mode" NOT NULL,
	"comfort_c" real NOT NULL,
	"eco_c" real NOT NULL,
	"programme" jsonb NOT NULL,
	"boost_until" timestamp with time zone,
	"mode_before_boost" "heating_mode",
	"override_target_c" real,
	"override_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "radiator_states" ADD COLUMN "target_sent_c" real;--> statement-breakpoint
ALTER TABLE "radiator_states" ADD COLUMN "target_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "radiator_states" ADD COLUMN "target_applied_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "heating_changes" ADD CONSTRAINT "heating_changes_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heating_changes" ADD CONSTRAINT "heating_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_heating" ADD CONSTRAINT "room_heating_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_heating" ADD CONSTRAINT "room_heating_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "heating_changes_room_idx" ON "heating_changes" USING btree ("room_id","at");--> statement-breakpoint
ALTER TABLE "rooms" DROP COLUMN "target_temp_c";