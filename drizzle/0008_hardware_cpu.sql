ALTER TABLE "hardware_models" ADD COLUMN "cpu_model" text;--> statement-breakpoint
ALTER TABLE "hardware_models" ADD COLUMN "cpu_clock_mhz" integer;