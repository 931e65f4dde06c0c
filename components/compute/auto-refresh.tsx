"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { formatTime } from "@/components/format";
import { Button } from "@/components/ui/button";

/** How often a task's page shows fresh work while it runs. */
export const LIVE_REFRESH_MS = 4000;

type Pause = { paused: boolean; setPaused: (paused: boolean) => void };

const LiveUpdatesContext = createContext<Pause | null>(null);

/** Shares AutoRefresh's pause with the live queries of the same page (the instance grid's polling). */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const [paused, setPaused] = useState(false);
  return <LiveUpdatesContext.Provider value={{ paused, setPaused }}>{children}</LiveUpdatesContext.Provider>;
}

/** Whether people paused the page's live updates; false outside LiveUpdates. */
export const useLiveUpdatesPaused = () => useContext(LiveUpdatesContext)?.paused ?? false;

/**
 * Re-renders the page's server components every `intervalMs` while `active` (the work shown can
 * still change) and the tab is visible; people can pause it (WCAG 2.2.2), and under LiveUpdates
 * the pause holds the page's live queries too. The time of the last update is written in
 * `timeZone`, the one the server wrote the page in.
 */
export function AutoRefresh({ active, intervalMs = LIVE_REFRESH_MS, timeZone }: { active: boolean; intervalMs?: number; timeZone: string }) {
  const router = useRouter();
  const shared = useContext(LiveUpdatesContext);
  const [ownPaused, setOwnPaused] = useState(false);
  const paused = shared ? shared.paused : ownPaused;
  const setPaused = shared ? shared.setPaused : setOwnPaused;
  const [lastAt, setLastAt] = useState<Date | null>(null);
  useEffect(() => {
    if (!active || paused) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      router.refresh();
      setLastAt(new Date());
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [active, paused, intervalMs, router]);
  if (!active) return null;
  return (
    <div className="flex items-center gap-2 text-sm text-stone-700">
      <span className="inline-flex items-center gap-1">
        <span aria-hidden className={paused ? "size-2 rounded-full bg-stone-400" : "size-2 rounded-full bg-green-600"} />
        {paused ? "Live updates paused" : `Live${lastAt ? ` · updated ${formatTime(lastAt, timeZone)}` : ""}`}
      </span>
      <Button variant="ghost" size="sm" aria-pressed={paused} onClick={() => setPaused(!paused)}>
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
