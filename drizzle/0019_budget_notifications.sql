ALTER TYPE "public"."notification_kind" ADD VALUE 'budget_reached';--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "billing_month" text;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_billing_month_idx" ON "notifications" USING btree ("organization_id","kind","billing_month") WHERE "notifications"."billing_month" is not null;