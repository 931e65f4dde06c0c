/**
 * The shapes the compute pages receive from the `compute` router, as the contract between the
 * services and the UI describes them. Pages pass router output into components typed with these,
 * so that a drift between the two shows up at type-check time.
 */
import type { InstanceStateCounts, TaskState } from "@/server/domain/task-state";

export type { InstanceStateCounts, TaskState };

export type InstanceState = keyof InstanceStateCounts;

export const TASK_STATES: readonly TaskState[] = [
  "Submitted",
  "PartiallyDispatched",
  "FullyDispatched",
  "PartiallyExecuting",
  "FullyExecuting",
  "PendingCancel",
  "Success",
  "Failure",
  "Cancelled",
];

export const INSTANCE_STATES: readonly InstanceState[] = ["waiting", "queued", "dispatched", "running", "succeeded", "failed", "cancelled"];

export type TaskSummary = {
  id: string;
  shortname: string | null;
  name: string;
  profileName: string;
  state: TaskState;
  schedulingType: string;
  donated: boolean;
  tags: string[];
  instanceCount: number;
  counts: InstanceStateCounts;
  progressPct: number;
  createdAt: Date;
  endedAt: Date | null;
  jobId: string | null;
  coreSeconds: number;
  energyWh: number;
  cancelRequested: boolean;
};

export type QueueStanding = {
  waitingInstances: number;
  position: number | null;
  etaSeconds: number | null;
  reason: string | null;
};

export type TaskDetail = TaskSummary & {
  constants: Record<string, string>;
  instanceRanges: string;
  minCores: number;
  minRamGb: number;
  maxWallTimeS: number | null;
  maxRetriesPerInstance: number;
  dependsOn: string[];
  succeededRange: string;
  failedRange: string;
  executionTimeS: number;
  wallTimeS: number;
  standing: QueueStanding | null;
};

export type InstanceView = {
  instanceNumber: number;
  state: InstanceState;
  attemptCount: number;
  maxAttempts: number;
  progressPct: number | null;
  exitCode: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  wallTimeS: number | null;
  coreSeconds: number;
  energyWh: number;
};

export type ProfileView = {
  name: string;
  description: string;
  coresPerInstance: number;
  minRamGb: number;
  requiresContainerRuntime: boolean;
  expectedCoreSecondsPerInstance: number;
};

export type OutputView = { id: number; instanceNumber: number; name: string; contentType: string; sizeBytes: number; createdAt: Date };

export type TaskResult =
  | null
  | { kind: "monte-carlo"; price: number; standardError: number; ci95Low: number; ci95High: number; paths: number; instances: number }
  | { kind: "render"; frames: number; contactSheet: { name: "contact-sheet.png"; sizeBytes: number } }
  | { kind: "none" };

export type JobView = {
  id: string;
  name: string;
  shortname: string | null;
  state: "Active" | "Terminated" | "Completed";
  useDependencies: boolean;
  maxWallTimeS: number | null;
  createdAt: Date;
  endedAt: Date | null;
  taskIds: string[];
};

/** An instance as the live log and the instance panel fetch it (dates as ISO strings). */
export type InstanceJson = Omit<InstanceView, "startedAt" | "endedAt"> & { startedAt: string | null; endedAt: string | null };

export type LogChunkJson = { id: number; instanceNumber: number; content: string; createdAt: string };
