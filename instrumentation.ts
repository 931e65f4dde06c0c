/**
 * Runs once when a server process starts. Every request gets its socket's address stamped (sign-in
 * throttling needs it; route handlers see only headers). The periodic work lives in the web
 * process; with HEARTH_ENGINE_LOOP=0 another clock (the fleet simulator) runs the engine's tick;
 * e-mail still goes.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { stampPeerAddresses } = await import("./server/auth/peer-address");
  stampPeerAddresses();
  if (!process.env.DATABASE_URL) return;
  const { getDb } = await import("./server/db/client");
  const { startEngineLoop } = await import("./server/services/engine-loop");
  startEngineLoop(getDb(), { tick: process.env.HEARTH_ENGINE_LOOP !== "0" });
}
