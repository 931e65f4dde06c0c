/** Runs once when a server process starts: the engine's periodic work lives in the web process. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.HEARTH_ENGINE_LOOP === "0" || !process.env.DATABASE_URL) return;
  const { getDb } = await import("./server/db/client");
  const { startEngineLoop } = await import("./server/services/engine-loop");
  startEngineLoop(getDb());
}
