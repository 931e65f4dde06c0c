import type { Db } from "@/server/db/client";
import { sendPendingEmail } from "./notifications";
import { closeDueMonth } from "./refunds";
import { assignWork, failOverdueAttempts, reclaimSilentRadiators } from "./scheduler";
import { rollUpTelemetryDays } from "./telemetry-daily";
import { maintainTelemetryPartitions } from "./telemetry-partitions";

/**
 * What the platform does on its own, besides answering gateways: take work back from radiators
 * that went silent, end work that overran its wall time without its gateway saying so, and hand
 * queued work to radiators that want heat (reports dispatch too, but only to their own gateway's
 * radiators). Several processes may run it at once: the scheduler's row locks keep them apart.
 */
export async function runEngineTick(db: Db, now = new Date()) {
  const reclaimed = await reclaimSilentRadiators(db, { now });
  const overdue = await failOverdueAttempts(db, { now });
  const assigned = await assignWork(db, { now });
  return { reclaimed, overdue, assigned: assigned.length };
}

export const ENGINE_TICK_MS = 15_000;

const globalForLoop = globalThis as unknown as { hearthEngineLoop?: ReturnType<typeof setInterval> };

/** Raw telemetry's partitions (next month's ahead, expired ones dropped) are seen to this often. */
export const PARTITIONS_EVERY_MS = 3_600_000;

const partitionsState = { lastMs: -Infinity };

/** Whether last month's refund close is due is looked at this often (it runs from the 3rd, once). */
export const REFUND_CLOSE_EVERY_MS = 3_600_000;

const refundCloseState = { lastMs: -Infinity };

/**
 * One round of the process's periodic work: the engine's tick unless another clock drives it
 * (`tick: false`, as while the fleet simulator runs), then pending notification e-mail (nothing
 * without SMTP_URL) and the daily telemetry rollup, always; raw telemetry's partitions hourly, on
 * the wall clock (retention is about real days, whatever clock the fleet runs on); and hourly, the
 * refund close of last month once it is due (from the 3rd, on the wall clock too).
 */
export async function runPeriodicWork(db: Db, opts: { tick: boolean; now?: Date; mail?: Parameters<typeof sendPendingEmail>[1] }) {
  const tick = opts.tick ? await runEngineTick(db, opts.now) : null;
  const mail = await sendPendingEmail(db, opts.mail);
  const rolledUpHours = await rollUpTelemetryDays(db);
  let partitions = null;
  if (Date.now() - partitionsState.lastMs >= PARTITIONS_EVERY_MS) {
    partitions = await maintainTelemetryPartitions(db);
    partitionsState.lastMs = Date.now();
  }
  let refundClose = null;
  if (Date.now() - refundCloseState.lastMs >= REFUND_CLOSE_EVERY_MS) {
    refundClose = await closeDueMonth(db);
    refundCloseState.lastMs = Date.now();
  }
  return { tick, mail, rolledUpHours, partitions, refundClose };
}

/** Starts the periodic work once per process; a round still running makes the next one wait. */
export function startEngineLoop(db: Db, opts: { tick: boolean }, tickMs = ENGINE_TICK_MS) {
  if (globalForLoop.hearthEngineLoop) return;
  let running = false;
  globalForLoop.hearthEngineLoop = setInterval(() => {
    if (running) return;
    running = true;
    runPeriodicWork(db, opts)
      .catch((error: unknown) => console.error("[engine] tick failed:", error))
      .finally(() => {
        running = false;
      });
  }, tickMs);
  globalForLoop.hearthEngineLoop.unref();
}
