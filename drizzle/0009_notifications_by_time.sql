DROP INDEX "notifications_organization_idx";--> statement-breakpoint
CREATE INDEX "notifications_organization_idx" ON "notifications" USING btree ("organization_id","created_at","id");