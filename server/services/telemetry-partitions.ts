import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import {
  isMonthExpired,
  monthStartMs,
  nextMonthMs,
  partitionMonthMs,
  partitionName,
  rawRetentionDays,
} from "@/server/domain/telemetry-months";

/**
 * The monthly partitions of telemetry_readings, managed by the app.
 *
 * No DEFAULT partition: with one, making a month's partition later means scanning and moving the
 * rows that landed there under an exclusive lock, and retention could not drop them a month at a
 * time. Instead the engine loop makes this month's and next month's partitions ahead of time, and
 * a report with a reading in a month without one (a gateway back after weeks offline with
 * readings of a month retention dropped, a fresh database) fails on it, has its months made here
 * and is processed again (server/device/report.ts): nothing in the report handler's common path,
 * not even a lookup, and only the months of readings the report keeps (one before the radiator's
 * installation, refused, makes none).
 *
 * Creating or dropping a partition locks the parent table against reports for its duration, so
 * both run in their own short transactions with a lock timeout, never inside a report's.
 */

/** Second key of the advisory lock that serialises partition changes across processes. */
const PARTITION_LOCK = [0x6877_0002, 1] as const;
/** Wait this long at most for reports in flight before creating or dropping; retried next time. */
const LOCK_TIMEOUT = "5s";

export function retentionDaysFromEnv(): number {
  return rawRetentionDays(process.env.HEARTH_RAW_RETENTION_DAYS);
}

/** Makes sure each month (UTC month starts) has its partition; returns the partitions made. */
export async function ensureTelemetryPartitions(db: Db, months: readonly number[]): Promise<string[]> {
  const missing = [...new Set(months.map(monthStartMs))];
  if (missing.length === 0) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true), pg_advisory_xact_lock(${PARTITION_LOCK[0]}::int, ${PARTITION_LOCK[1]}::int)`);
    const names = missing.map(partitionName);
    const existing = await tx.execute<{ name: string }>(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'telemetry_readings'::regclass and c.relname = any(${pgArray(names)}::text[])`);
    const have = new Set(existing.map((r) => r.name));
    const created: string[] = [];
    for (const month of missing) {
      const name = partitionName(month);
      if (have.has(name)) continue;
      const from = new Date(month).toISOString();
      const to = new Date(nextMonthMs(month)).toISOString();
      await tx.execute(sql.raw(`create table "${name}" partition of telemetry_readings for values from ('${from}') to ('${to}')`));
      created.push(name);
    }
    return created;
  });
}

/** Drops the partitions whose whole month is older than the retention; returns their names. */
export async function dropExpiredTelemetryPartitions(db: Db, opts: { now?: Date; retentionDays?: number } = {}): Promise<string[]> {
  const nowMs = (opts.now ?? new Date()).getTime();
  const retentionDays = opts.retentionDays ?? retentionDaysFromEnv();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true), pg_advisory_xact_lock(${PARTITION_LOCK[0]}::int, ${PARTITION_LOCK[1]}::int)`);
    const partitions = await tx.execute<{ name: string }>(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'telemetry_readings'::regclass order by 1`);
    const expired = partitions
      .map((p) => ({ name: p.name, month: partitionMonthMs(p.name) }))
      .filter((p): p is { name: string; month: number } => p.month !== null && isMonthExpired(p.month, nowMs, retentionDays));
    for (const p of expired) await tx.execute(sql.raw(`drop table "${p.name}"`));
    return expired.map((p) => p.name);
  });
}

/** The periodic part: this month's and next month's partitions, and retention. */
export async function maintainTelemetryPartitions(db: Db, now = new Date()) {
  const retentionDays = retentionDaysFromEnv();
  const thisMonth = monthStartMs(now.getTime());
  const created = await ensureTelemetryPartitions(db, [thisMonth, nextMonthMs(thisMonth)]);
  const dropped = await dropExpiredTelemetryPartitions(db, { now, retentionDays });
  return { created, dropped };
}
