import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";

/**
 * telemetry_daily, maintained from telemetry_hourly by a periodic job (the engine loop): the
 * report handler marks every hour it writes as not rolled up (rolled_up = false), and the job
 * recomputes, from the hourly rows, each local day holding such an hour, then marks them.
 *
 * Why this way: recomputing a day from its hours is idempotent, so late readings (a gateway back
 * online, a retry) and any order of reports land right without the report handler, the fleet's
 * busiest path, learning about sites' zones or days. A day is at most one job run behind.
 * An hour a report is rewriting while the job runs is skipped (SKIP LOCKED) and taken next time;
 * an hour rewritten after the job read it is marked again by that write.
 */

/** Hours taken per statement, to keep each transaction short. */
const BATCH_HOURS = 20_000;

/** Rolls up the days of pending hours, a batch at a time, up to `maxBatches`; returns the hours taken. */
export async function rollUpTelemetryDays(db: Db, opts: { maxBatches?: number } = {}): Promise<number> {
  let taken = 0;
  for (let i = 0; i < (opts.maxBatches ?? 50); i++) {
    const [row] = await db.execute<{ hours: number }>(sql`
      with pending as (
        select radiator_id, hour_start from telemetry_hourly where not rolled_up
        order by radiator_id, hour_start limit ${BATCH_HOURS}
        for update skip locked
      ),
      marked as (
        update telemetry_hourly h set rolled_up = true from pending p
        where h.radiator_id = p.radiator_id and h.hour_start = p.hour_start
        returning h.radiator_id, h.hour_start
      ),
      days as (
        select distinct m.radiator_id, date_trunc('day', m.hour_start, s.time_zone) as day_start, s.time_zone
        from marked m join radiators r on r.id = m.radiator_id join rooms ro on ro.id = r.room_id
          join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id
      ),
      rolled as (
        insert into telemetry_daily (radiator_id, day, reading_count, room_temp_sum_c, setpoint_sum_c, power_sum_w,
          cores_active_sum, energy_wh, idle_energy_wh)
        select d.radiator_id, (d.day_start at time zone d.time_zone)::date, sum(h.reading_count), sum(h.room_temp_sum_c),
          sum(h.setpoint_sum_c), sum(h.power_sum_w), sum(h.cores_active_sum), sum(h.energy_wh), sum(h.idle_energy_wh)
        from days d join telemetry_hourly h on h.radiator_id = d.radiator_id
          -- The hours starting within the local day, as energy.ts's day buckets take them.
          and h.hour_start >= d.day_start
          and h.hour_start < ((d.day_start at time zone d.time_zone) + interval '1 day') at time zone d.time_zone
        group by d.radiator_id, d.day_start, d.time_zone
        order by 1, 2
        on conflict (radiator_id, day) do update set
          reading_count = excluded.reading_count, room_temp_sum_c = excluded.room_temp_sum_c,
          setpoint_sum_c = excluded.setpoint_sum_c, power_sum_w = excluded.power_sum_w,
          cores_active_sum = excluded.cores_active_sum, energy_wh = excluded.energy_wh, idle_energy_wh = excluded.idle_energy_wh
      )
      select count(*)::int as hours from marked`);
    const hours = row?.hours ?? 0;
    taken += hours;
    if (hours < BATCH_HOURS) break;
  }
  return taken;
}
