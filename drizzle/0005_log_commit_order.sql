DROP INDEX "instance_logs_instance_idx";--> statement-breakpoint
-- Chunks written before this column existed all count as transaction 0: among themselves they
-- keep their id order, and readers' stored cursors (transaction 0, last id) stay where they were.
ALTER TABLE "instance_logs" ADD COLUMN "xact_id" "xid8" DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "instance_logs" ALTER COLUMN "xact_id" SET DEFAULT pg_current_xact_id();--> statement-breakpoint
ALTER TABLE "log_read_cursors" ADD COLUMN "last_xact_id" "xid8" DEFAULT '0' NOT NULL;--> statement-breakpoint
CREATE INDEX "instance_logs_instance_idx" ON "instance_logs" USING btree ("instance_id","xact_id","id");
