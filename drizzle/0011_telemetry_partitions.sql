-- telemetry_readings becomes a table partitioned by UTC month (telemetry_readings_YYYYMM), with the
-- same columns and primary key; its rows move into the partitions. The app creates later months and
-- drops expired ones (server/services/telemetry-partitions.ts). Months are UTC whatever the session's zone.
ALTER TABLE "telemetry_readings" RENAME TO "telemetry_readings_unpartitioned";--> statement-breakpoint
ALTER TABLE "telemetry_readings_unpartitioned" RENAME CONSTRAINT "telemetry_readings_radiator_id_recorded_at_pk" TO "telemetry_readings_unpartitioned_pk";--> statement-breakpoint
CREATE TABLE "telemetry_readings" (LIKE "telemetry_readings_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("recorded_at");--> statement-breakpoint
ALTER TABLE "telemetry_readings" ADD CONSTRAINT "telemetry_readings_radiator_id_recorded_at_pk" PRIMARY KEY ("radiator_id", "recorded_at");--> statement-breakpoint
DO $$
DECLARE
  month timestamp;
  last timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month';
BEGIN
  -- Every month from the oldest reading (or this one) to the next.
  month := least(date_trunc('month', (SELECT min("recorded_at") FROM "telemetry_readings_unpartitioned") AT TIME ZONE 'UTC'),
    date_trunc('month', now() AT TIME ZONE 'UTC'));
  WHILE month <= last LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "telemetry_readings" FOR VALUES FROM (%L) TO (%L)',
      'telemetry_readings_' || to_char(month, 'YYYYMM'), (month AT TIME ZONE 'UTC')::text,
      ((month + interval '1 month') AT TIME ZONE 'UTC')::text);
    month := month + interval '1 month';
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "telemetry_readings" SELECT * FROM "telemetry_readings_unpartitioned";--> statement-breakpoint
DROP TABLE "telemetry_readings_unpartitioned";
