import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import {
  isMonthExpired,
  monthsCovering,
  monthStartMs,
  nextMonthMs,
  partitionMonthMs,
  partitionName,
  rawRetentionDays,
} from "@/server/domain/telemetry-months";

/**
 * The monthly partitions of telemetry_readings, managed by the app.
 *
 * Partitions are created on demand, before a report's transaction, for every month its readings
 * fall in, rather than caught by a DEFAULT partition: with a default partition, creating a month
 * later means scanning and moving the rows that landed there under an exclusive lock, and
 * retention could never drop them a month at a time. On demand costs a set lookup per report in
 * the common case (the months this process already made sure of), and a short DDL transaction
 * once a month; the engine loop also creates this month's and next month's ahead of time.
 *
 * Creating or dropping a partition locks the parent table against reports for its duration, so
 * both run in their own short transactions with a lock timeout, never inside a report's.
 */

/** Second key of the advisory lock that serialises partition changes across processes. */
const PARTITION_LOCK = [0x6877_0002, 1] as const;
/** Wait this long at most for reports in flight before creating or dropping; retried next time. */
const LOCK_TIMEOUT = "5s";

/**
 * Months this process knows to have a partition. Another process's retention may drop one of
 * them: the report handler then fails on the missing partition, forgets them all and retries once.
 */
const knownMonths = new Set<number>();

export function forgetTelemetryPartitions() {
  knownMonths.clear();
}

export function retentionDaysFromEnv(): number {
  return rawRetentionDays(process.env.HEARTH_RAW_RETENTION_DAYS);
}

/**
 * Makes sure a partition exists for each month of [fromMs, toMs] (readings' times). A month
 * retention has dropped is made again for late readings (a gateway back after weeks offline);
 * retention drops it again later, the hourly rollups keeping what it held.
 */
export async function ensureTelemetryPartitions(db: Db, fromMs: number, toMs: number): Promise<string[]> {
  if (!(toMs >= fromMs)) return [];
  const missing = monthsCovering(fromMs, toMs).filter((m) => !knownMonths.has(m));
  if (missing.length === 0) return [];
  const created: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true), pg_advisory_xact_lock(${PARTITION_LOCK[0]}::int, ${PARTITION_LOCK[1]}::int)`);
    const names = missing.map(partitionName);
    const existing = await tx.execute<{ name: string }>(sql`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'telemetry_readings'::regclass and c.relname = any(${pgArray(names)}::text[])`);
    const have = new Set(existing.map((r) => r.name));
    for (const month of missing) {
      const name = partitionName(month);
      if (!have.has(name)) {
        const from = new Date(month).toISOString();
        const to = new Date(nextMonthMs(month)).toISOString();
        await tx.execute(sql.raw(`create table "${name}" partition of telemetry_readings for values from ('${from}') to ('${to}')`));
        created.push(name);
      }
    }
  });
  for (const month of missing) knownMonths.add(month);
  return created;
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
    for (const p of expired) {
      await tx.execute(sql.raw(`drop table "${p.name}"`));
      knownMonths.delete(p.month);
    }
    return expired.map((p) => p.name);
  });
}

/** The periodic part: this month's and next month's partitions, and retention. */
export async function maintainTelemetryPartitions(db: Db, now = new Date()) {
  const retentionDays = retentionDaysFromEnv();
  const thisMonth = monthStartMs(now.getTime());
  const created = await ensureTelemetryPartitions(db, thisMonth, nextMonthMs(thisMonth));
  const dropped = await dropExpiredTelemetryPartitions(db, { now, retentionDays });
  return { created, dropped };
}
