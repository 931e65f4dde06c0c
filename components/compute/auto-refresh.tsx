"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Re-renders the page's server components every `intervalMs` while `active` (the work shown can
 * still change) and the tab is visible; people can pause it (WCAG 2.2.2).
 */
export function AutoRefresh({ active, intervalMs = 4000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [lastAt, setLastAt] = useState<string | null>(null);
  useEffect(() => {
    if (!active || paused) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      router.refresh();
      setLastAt(new Date().toLocaleTimeString("en-GB"));
    }, intervalMs);
    return () => window.clearInterval(timer);
  }, [active, paused, intervalMs, router]);
  if (!active) return null;
  return (
    <div className="flex items-center gap-2 text-sm text-stone-700">
      <span className="inline-flex items-center gap-1">
        <span aria-hidden className={paused ? "size-2 rounded-full bg-stone-400" : "size-2 rounded-full bg-green-600"} />
        {paused ? "Live updates paused" : `Live${lastAt ? ` · updated ${lastAt}` : ""}`}
      </span>
      <Button variant="ghost" size="sm" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
