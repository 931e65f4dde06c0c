ALTER TABLE "energy_allocations" DROP CONSTRAINT "energy_allocations_attempt_id_instance_attempts_id_fk";
--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD CONSTRAINT "energy_allocations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_allocations" ADD CONSTRAINT "energy_allocations_attempt_id_instance_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."instance_attempts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
UPDATE "energy_allocations" e SET "organization_id" = i."organization_id" FROM "instance_attempts" a JOIN "instances" i ON i."id" = a."instance_id" WHERE a."id" = e."attempt_id";
