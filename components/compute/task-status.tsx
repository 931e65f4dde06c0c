import { countOf } from "@/components/format";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { AutoRefresh } from "./auto-refresh";
import { formatDuration } from "@/components/format";
import { formatEuros } from "@/server/domain/billing";
import { formatCarbonG, formatCoreSeconds, formatEnergyWh } from "./format";
import { TaskActions } from "./task-actions";
import { InstanceCounts, TaskProgress, TaskStateBadge } from "./task-state";
import type { TaskDetail } from "./types";

/** A task's state, progress, times and energy, with its live-update switch and its actions (cancel, rerun failed). */
export function TaskStatus({ task, active, timeZone }: { task: TaskDetail; active: boolean; timeZone: string }) {
  return (
    <Card className="lg:col-span-2">
      <CardHeader title={<span className="flex items-center gap-2">Status <TaskStateBadge state={task.state} /></span>} actions={<AutoRefresh active={active} timeZone={timeZone} />} />
      <CardContent className="flex flex-col gap-4">
        <div>
          <TaskProgress progressPct={task.progressPct} counts={task.counts} label="Task progress" />
          <InstanceCounts counts={task.counts} /> <span className="text-xs text-stone-600">of {countOf(task.instanceCount, "instance")}</span>
        </div>
        {task.cancelRequested && active && (
          <p className="text-sm text-amber-900">Cancelling: waiting for the radiators still running instances to confirm they stopped.</p>
        )}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
          <dt className="text-stone-600">Wall time</dt>
          <dd className="tabular-nums">{formatDuration(task.wallTimeS)}</dd>
          <dt className="text-stone-600">Execution time</dt>
          <dd className="tabular-nums">{formatDuration(task.executionTimeS)}</dd>
          <dt className="text-stone-600">CPU time</dt>
          <dd className="tabular-nums">{formatCoreSeconds(task.coreSeconds)}</dd>
          <dt className="text-stone-600">Energy</dt>
          <dd className="tabular-nums">{formatEnergyWh(task.energyWh)}</dd>
          <dt className="text-stone-600">Cost so far</dt>
          <dd className="tabular-nums">{formatEuros(task.costCents)}</dd>
          <dt className="text-stone-600">Carbon so far</dt>
          <dd className="tabular-nums">
            <a href="#carbon" className="text-brand-700 underline">
              {formatCarbonG(task.carbonGCO2e)}
            </a>
          </dd>
        </dl>
        <TaskActions taskId={task.id} canCancel={active && !task.cancelRequested} failed={task.counts.failed} />
      </CardContent>
    </Card>
  );
}
