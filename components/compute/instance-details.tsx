"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { formatDateTime } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { readErrorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { energyShareWh, formatEnergyShareWh } from "@/server/domain/energy-share";
import { InstanceHardware } from "./instance-hardware";
import { formatDuration } from "@/components/format";
import { formatCoreSeconds, INSTANCE_STATE_STYLES } from "./format";
import { useWorkbench } from "./task-workbench";
import type { InstanceState, TaskMeter } from "./types";

/** One instance of the grid: its attempts, times and energy, a link to its log, and marking it for cancelling. */
export function InstanceDetails({
  taskId,
  instanceNumber,
  state,
  canCancel,
  marked,
  onToggleMark,
  onClose,
  taskMeter,
  timeZone,
}: {
  taskId: string;
  taskMeter: TaskMeter;
  /** The zone the page is written in. */
  timeZone: string;
  instanceNumber: number;
  /** Its state as the grid shows it. */
  state: InstanceState;
  canCancel: boolean;
  marked: boolean;
  onToggleMark: () => void;
  onClose: () => void;
}) {
  const { showLogOf } = useWorkbench();
  const trpc = useTRPC();
  const query = useQuery(
    trpc.compute.instances.queryOptions({ taskId, instanceNumber, page: 1, pageSize: 1 }, { retry: false, refetchOnWindowFocus: false }),
  );
  // Read again when the grid shows the instance in another state.
  const { refetch } = query;
  const shownFor = useRef(state);
  useEffect(() => {
    if (shownFor.current === state) return;
    shownFor.current = state;
    void refetch();
  }, [state, refetch]);
  const instance = query.data?.instances[0];
  const loading = query.isPending || (query.isFetching && instance?.state !== state);
  const error = loading
    ? null
    : query.error
      ? readErrorMessage(query.error, "Could not load this instance.")
      : instance
        ? null
        : `This task has no instance ${instanceNumber}.`;
  return (
    <section aria-labelledby={`instance-${instanceNumber}-title`} className="rounded-md border border-stone-300 bg-white p-3" data-testid="instance-details">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h3 id={`instance-${instanceNumber}-title`} className="font-semibold">
          Instance {instanceNumber}: {INSTANCE_STATE_STYLES[state].label.toLowerCase()}
        </h3>
        <span className="flex flex-wrap gap-2">
          <Button variant="secondary" size="sm" onClick={() => showLogOf(instanceNumber)}>
            Show its log
          </Button>
          {canCancel && (
            <Button variant="secondary" size="sm" aria-pressed={marked} onClick={onToggleMark}>
              {marked ? "Unmark" : "Mark for cancelling"}
            </Button>
          )}
          <Button variant="ghost" size="sm" onClick={onClose}>
            Close
          </Button>
        </span>
      </div>
      {loading && (
        <p role="status" className="text-sm text-stone-600">
          Loading…
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {!loading && !error && instance && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
          <dt className="text-stone-600">Attempts</dt>
          <dd className="tabular-nums">
            {instance.attemptCount} of {instance.maxAttempts}
          </dd>
          <dt className="text-stone-600">Progress</dt>
          <dd className="tabular-nums">{instance.progressPct === null ? "—" : `${Math.floor(instance.progressPct)} %`}</dd>
          <dt className="text-stone-600">Started</dt>
          <dd>{instance.startedAt ? formatDateTime(instance.startedAt, timeZone) : "—"}</dd>
          <dt className="text-stone-600">Ended</dt>
          <dd>{instance.endedAt ? formatDateTime(instance.endedAt, timeZone) : "—"}</dd>
          <dt className="text-stone-600">Wall time</dt>
          <dd className="tabular-nums">{formatDuration(instance.wallTimeS)}</dd>
          <dt className="text-stone-600">CPU time</dt>
          <dd className="tabular-nums">{formatCoreSeconds(instance.coreSeconds)}</dd>
          <dt className="text-stone-600">Energy</dt>
          <dd className="tabular-nums">
            {formatEnergyShareWh(energyShareWh(instance.coreSeconds, taskMeter))}
            <span className="block text-xs text-stone-600">share of the task&rsquo;s by CPU time</span>
          </dd>
          <dt className="text-stone-600">Exit code</dt>
          <dd className="tabular-nums">{instance.exitCode ?? "—"}</dd>
          <InstanceHardware hardware={instance.hardware} />
        </dl>
      )}
    </section>
  );
}
