import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { formatInteger } from "@/components/format";
import { TASK_STATE_LABELS, TASK_STATE_TONES } from "./format";
import type { InstanceStateCounts, TaskState } from "./types";

export function TaskStateBadge({ state }: { state: TaskState }) {
  return <Badge tone={TASK_STATE_TONES[state]}>{TASK_STATE_LABELS[state]}</Badge>;
}

/**
 * A task's progress: one bar whose segments are the succeeded, failed and cancelled instances and
 * the progress of the running ones, with the overall percentage as its value.
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
  const total = Object.values(counts).reduce((a, b) => a + b, 0) || 1;
  const pct = Math.max(0, Math.min(100, progressPct));
  const succeeded = (100 * counts.succeeded) / total;
  const failed = (100 * counts.failed) / total;
  const cancelled = (100 * counts.cancelled) / total;
  const running = Math.max(0, pct - succeeded - failed - cancelled);
  const rounded = Math.floor(pct);
  return (
    <div className={cn("flex items-center gap-2", className)}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rounded}
        aria-valuetext={`${rounded} %`}
        className="flex h-2.5 w-full min-w-16 overflow-hidden rounded-full bg-stone-200"
      >
        <span className="h-full bg-green-600" style={{ width: `${succeeded}%` }} />
        <span className="h-full bg-red-700" style={{ width: `${failed}%` }} />
        <span className="h-full bg-stone-500" style={{ width: `${cancelled}%` }} />
        <span className="h-full bg-blue-700" style={{ width: `${running}%` }} />
      </div>
      <span className="w-10 shrink-0 text-right text-xs tabular-nums text-stone-700" aria-hidden>
        {rounded} %
      </span>
    </div>
  );
}

/** "118 done · 2 failed · 3 running" with the zeros left out (except done). */
export function InstanceCounts({ counts, className }: { counts: InstanceStateCounts; className?: string }) {
  const active = counts.dispatched + counts.running;
  const waiting = counts.queued + counts.waiting;
  return (
    <span className={cn("text-xs text-stone-700", className)}>
      <span className="text-green-800">{formatInteger(counts.succeeded)} done</span>
      {counts.failed > 0 && <span className="text-red-800"> · {formatInteger(counts.failed)} failed</span>}
      {active > 0 && <span className="text-blue-800"> · {formatInteger(active)} running</span>}
      {waiting > 0 && <span> · {formatInteger(waiting)} waiting</span>}
      {counts.cancelled > 0 && <span> · {formatInteger(counts.cancelled)} cancelled</span>}
    </span>
  );
}
