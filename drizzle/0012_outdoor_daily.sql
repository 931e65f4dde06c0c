CREATE TABLE "outdoor_daily" (
	"site_id" uuid NOT NULL,
	"day" date NOT NULL,
	"temp_sum_c" double precision NOT NULL,
	"hours" integer NOT NULL,
	CONSTRAINT "outdoor_daily_site_id_day_pk" PRIMARY KEY("site_id","day")
);
--> statement-breakpoint
ALTER TABLE "outdoor_daily" ADD CONSTRAINT "outdoor_daily_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;