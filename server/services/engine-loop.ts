import type { Db } from "@/server/db/client";
import { sendPendingEmail } from "./notifications";
import { assignWork, failOverdueAttempts, reclaimSilentRadiators } from "./scheduler";

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

/**
 * Starts the periodic tick once per process; a tick still running makes the next one wait. Each
 * tick also sends pending notification e-mail (nothing without SMTP_URL).
 */
export function startEngineLoop(db: Db, tickMs = ENGINE_TICK_MS) {
  if (globalForLoop.hearthEngineLoop) return;
  let running = false;
  globalForLoop.hearthEngineLoop = setInterval(() => {
    if (running) return;
    running = true;
    runEngineTick(db)
      .then(() => sendPendingEmail(db))
      .catch((error: unknown) => console.error("[engine] tick failed:", error))
      .finally(() => {
        running = false;
      });
  }, tickMs);
  globalForLoop.hearthEngineLoop.unref();
}
