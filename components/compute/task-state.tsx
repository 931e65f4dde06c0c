import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { instanceCountParts, progressBarParts } from "@/server/domain/instance-vocabulary";
import { INSTANCE_STATE_STYLES, TASK_STATE_LABELS, TASK_STATE_TONES } from "./format";
import type { InstanceState, InstanceStateCounts, TaskState } from "./types";

export function TaskStateBadge({ state }: { state: TaskState }) {
  return <Badge tone={TASK_STATE_TONES[state]}>{TASK_STATE_LABELS[state]}</Badge>;
}

/**
 * A task's progress: one bar whose parts are the succeeded, failed and cancelled instances, in the
 * grid's colours, and the progress of those dispatched or running; its value is the work done
 * (a task cancelled before anything ran is 0 %, its bar all cancelled).
 */
export function TaskProgress({
  progressPct,
  counts,
  label,
  className,
}: {
  progressPct: number;
  counts: InstanceStateCounts;
  label: string;
  className?: string;
}) {
  const bar = progressBarParts(counts, progressPct);
  const parts = [
    { key: "succeeded", pct: bar.succeededPct, cell: INSTANCE_STATE_STYLES.succeeded.cell },
    { key: "failed", pct: bar.failedPct, cell: INSTANCE_STATE_STYLES.failed.cell },
    { key: "cancelled", pct: bar.cancelledPct, cell: INSTANCE_STATE_STYLES.cancelled.cell },
    { key: "active", pct: bar.activePct, cell: INSTANCE_STATE_STYLES.running.cell },
  ];
  return (
    <div className={cn("flex items-center gap-2", className)}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bar.donePct}
        aria-valuetext={bar.text}
        title={bar.text}
        className="flex h-2.5 w-full min-w-16 overflow-hidden rounded-full bg-stone-200"
      >
        {parts.map((p) => (p.pct > 0 ? <span key={p.key} data-part={p.key} className={cn("h-full", p.cell)} style={{ width: `${p.pct}%` }} /> : null))}
      </div>
      <span className="w-16 shrink-0 whitespace-nowrap text-right text-xs tabular-nums text-stone-700" aria-hidden>
        {bar.donePct} % done
      </span>
    </div>
  );
}

const COUNT_COLOURS: Partial<Record<InstanceState, string>> = {
  succeeded: "text-green-800",
  failed: "text-red-800",
  running: "text-blue-800",
  dispatched: "text-indigo-800",
};

/** "118 succeeded · 2 failed · 4 dispatched · 3 running", in the legend's words (see instanceCountParts). */
export function InstanceCounts({ counts, className }: { counts: InstanceStateCounts; className?: string }) {
  return (
    <span className={cn("text-xs text-stone-700", className)}>
      {instanceCountParts(counts).map((p, i) => (
        <span key={p.state} className={COUNT_COLOURS[p.state]}>
          {i > 0 && " · "}
          {p.text}
        </span>
      ))}
    </span>
  );
}
