import { formatInstanceRanges, parseInstanceRanges } from "@/server/domain/instance-ranges";
import { isFinalTaskState } from "@/server/domain/task-state";
import type { TaskSummaryView, TaskView } from "@/server/services/task-queries";
import type { JobView } from "@/server/services/tasks";

/**
 * Hearth's tasks and jobs in Qarnot's JSON, as its Python SDK reads them (qarnot/task.py `_update`,
 * qarnot/status.py, qarnot/job.py). Never names a radiator, gateway or home (PRODUCT.md C12):
 * per-instance fields that would (node, CPU model, frequencies) are null.
 */

/** Qarnot's time spans (.NET TimeSpan): "hh:mm:ss", or "d.hh:mm:ss" from one day. */
export function timespan(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86_400);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hms = `${pad(Math.floor((s % 86_400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}.${hms}` : hms;
}

/** ISO 8601 in UTC with milliseconds, which the SDK parses ("%Y-%m-%dT%H:%M:%S.%fZ"). */
export const isoDate = (d: Date | null) => (d ? d.toISOString() : null);

/** The submitted range, or null when it is simply 0..count-1 (what an instanceCount gives). */
function advancedRanges(spec: string, instanceCount: number): string | null {
  const m = /^\s*0\s*(?:-\s*(\d+)\s*)?$/.exec(spec);
  if (m && Number(m[1] ?? 0) === instanceCount - 1) return null;
  return spec;
}

function unionRanges(a: string, b: string): string {
  const parse = (s: string) => {
    if (s === "") return [];
    const parsed = parseInstanceRanges(s, { maxInstances: Number.MAX_SAFE_INTEGER, maxInstanceNumber: Number.MAX_SAFE_INTEGER });
    return parsed.ok ? parsed.numbers : [];
  };
  return formatInstanceRanges([...parse(a), ...parse(b)]);
}

const QARNOT_INSTANCE_STATE = { succeeded: "Success", failed: "Failure", cancelled: "Cancelled" } as const;

/** The fields of a task that its summary carries (POST /tasks/summaries/paginate, GET /jobs/{uuid}/tasks). */
export function taskSummaryJson(t: TaskSummaryView) {
  const running = t.counts.running;
  return {
    uuid: t.id,
    name: t.name,
    shortname: t.shortname ?? t.id,
    profile: t.profileName,
    poolUuid: null,
    jobUuid: t.jobId,
    state: t.state,
    previousState: null,
    stateTransitionTime: null,
    previousStateTransitionTime: null,
    instanceCount: t.instanceCount,
    runningInstanceCount: running,
    runningCoreCount: running * t.coresPerInstance,
    progress: t.progressPct,
    creationDate: isoDate(t.createdAt),
    endDate: isoDate(t.endedAt),
    tags: t.tags,
    schedulingType: t.schedulingType,
    hearth: hearthExtras(t),
  };
}

/** Hearth's additions, in their own object so that no Qarnot field changes meaning. */
function hearthExtras(t: TaskSummaryView) {
  return {
    instanceCounts: t.counts,
    coreSeconds: t.coreSeconds,
    energyWh: t.energyWh,
    /** Cost so far, in cents: the charges of its attempts that ended (GET /credits/v1/tasks/{uuid}/credits gives it in euros). */
    costCents: t.costCents,
    /** Carbon so far, in gCO2e: its Carbon Facts' qarnot_carbon_footprint (GET /carbon/v1/tasks/{uuid}/carbon-facts). */
    carbonGCO2e: t.carbonGCO2e,
    cancelRequested: t.cancelRequested,
  };
}

/** A processor's base clock as Qarnot's frequency fields give it; null when unknown. */
const ghz = (mhz: number | null | undefined) => (mhz == null ? null : mhz / 1000);

/** The whole task (GET /tasks/{uuid}): the summary's fields plus status, constants and completed instances. */
export function taskJson(t: TaskView, now: Date) {
  const final = isFinalTaskState(t.state);
  const started = t.instances.some((i) => i.startedAt !== null) || t.executionTimeS > 0;
  const running = t.instances.filter((i) => i.state === "running");
  const completed = t.instances.filter((i) => i.state in QARNOT_INSTANCE_STATE && (i.state !== "cancelled" || i.attemptCount > 0));
  const hardwareConstraints: Array<Record<string, unknown>> = [
    { discriminator: "MinimumCoreHardwareConstraint", coreCount: t.minCores },
    { discriminator: "MinimumRamHardwareConstraint", minimumMemoryMB: t.minRamGb * 1024 },
  ];
  return {
    ...taskSummaryJson(t),
    advancedRanges: advancedRanges(t.instanceRanges, t.instanceCount),
    constants: Object.entries(t.constants).map(([key, value]) => ({ key, value })),
    constraints: [],
    forcedConstants: [],
    forcedNetworkRules: [],
    labels: {},
    errors: [],
    resourceBuckets: [],
    advancedResourceBuckets: [],
    resultBucket: null,
    lastModified: null,
    snapshotInterval: 0,
    executionTime: timespan(t.executionTimeS),
    wallTime: timespan(t.wallTimeS),
    maxTimeQueueSeconds: null,
    autoDeleteOnCompletion: false,
    completionTimeToLive: "00:00:00",
    uploadResultsOnCancellation: null,
    hardwareConstraints,
    retrySettings: { maxTotalRetries: null, maxPerInstanceRetries: t.maxRetriesPerInstance },
    privileges: { exportApiAndStorageCredentialsInEnvironment: false },
    dependencies: { dependsOn: t.dependsOn },
    maxWallTime: t.maxWallTimeS === null ? null : timespan(t.maxWallTimeS),
    status: {
      downloadProgress: started ? 100 : 0,
      executionProgress: t.progressPct,
      uploadProgress: final ? 100 : 0,
      instanceCount: t.counts.running,
      downloadTime: "00:00:00",
      downloadTimeSec: 0,
      environmentTime: "00:00:00",
      environmentTimeSec: 0,
      executionTime: timespan(t.executionTimeS),
      executionTimeSec: t.executionTimeS,
      uploadTime: "00:00:00",
      uploadTimeSec: 0,
      wallTime: timespan(t.wallTimeS),
      wallTimeSec: t.wallTimeS,
      succeededRange: t.succeededRange,
      executedRange: unionRanges(t.succeededRange, t.failedRange),
      failedRange: t.failedRange,
      lastUpdateTimestamp: now.toISOString(),
      executionTimeByCpuModel: [],
      executionTimeGhzByCpuModel: [],
      runningInstancesInfo: {
        perRunningInstanceInfo: running.map((i) => ({
          phase: "execution",
          instanceId: i.instanceNumber,
          progress: i.progressPct ?? 0,
          executionTimeSec: i.wallTimeS ?? 0,
          executionTimeGHz: null,
          cpuModel: i.hardware?.cpuModel ?? null,
          coreCount: i.hardware?.cores ?? null,
          maxFrequencyGHz: ghz(i.hardware?.cpuClockMhz),
          currentFrequencyGHz: null,
          cpuUsage: null,
          maxMemoryMB: null,
          currentMemoryMB: null,
          memoryUsage: null,
          networkInKbps: null,
          networkOutKbps: null,
          executionAttemptCount: i.attemptCount,
          activeForwards: [],
          vpnConnections: [],
        })),
        timestamp: now.toISOString(),
        averageFrequencyGHz: null,
        maxFrequencyGHz: null,
        minFrequencyGHz: null,
        averageMaxFrequencyGHz: null,
        averageCpuUsage: null,
        clusterPowerIndicator: null,
        averageMemoryUsage: null,
        averageNetworkInKbps: null,
        averageNetworkOutKbps: null,
        totalNetworkInKbps: null,
        totalNetworkOutKbps: null,
        snapshotResults: [],
        runningCoreCountByCpuModel: [],
      },
    },
    completedInstances: completed.map((i) => ({
      instanceId: i.instanceNumber,
      state: QARNOT_INSTANCE_STATE[i.state as keyof typeof QARNOT_INSTANCE_STATE],
      wallTimeSec: i.wallTimeS ?? 0,
      execTimeSec: i.coreSeconds,
      execTimeSecGHz: null,
      peakMemoryMB: null,
      averageGHz: null,
      cpuModel: i.hardware?.cpuModel ?? null,
      coreCount: i.hardware?.cores ?? null,
      results: t.outputNames.get(i.instanceNumber) ?? [],
      executionAttemptCount: i.attemptCount,
      exitCode: i.exitCode,
      energyWh: i.energyWh,
    })),
    hearth: { ...hearthExtras(t), maxWallTimeSec: t.maxWallTimeS, instanceRanges: t.instanceRanges },
  };
}

/** Hearth stores Active, Terminated and Completed; Qarnot's SDK knows Active, Terminating, Completed, Deleting. */
export function jobJson(j: JobView) {
  const state = j.state === "Terminated" ? (j.openTasks > 0 ? "Terminating" : "Completed") : j.state;
  return {
    uuid: j.id,
    name: j.name,
    shortname: j.shortname ?? j.id,
    poolUuid: null,
    state,
    previousState: null,
    stateTransitionTime: null,
    previousStateTransitionTime: null,
    creationDate: isoDate(j.createdAt),
    lastModified: null,
    endDate: isoDate(j.endedAt),
    useDependencies: j.useDependencies,
    maxWallTime: j.maxWallTimeS === null ? null : timespan(j.maxWallTimeS),
    tags: [],
    autoDeleteOnCompletion: false,
    completionTimeToLive: "00:00:00",
    hearth: { terminated: j.state === "Terminated", taskCount: j.taskIds.length },
  };
}
