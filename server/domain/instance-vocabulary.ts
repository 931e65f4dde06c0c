import { INSTANCE_STATES, type InstanceState, type InstanceStateCounts, type TaskState } from "./task-state";

/**
 * The words people read for instance and task states, the same in a task's header, the grid's
 * legend, the grid itself and the task tables. Qarnot's names (FullyDispatched…) stay in the API
 * and in filter values; they are never shown.
 */
export const INSTANCE_STATE_WORDS: Record<InstanceState, string> = {
  waiting: "Waiting",
  queued: "Queued",
  dispatched: "Dispatched",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Why an instance is in a state, for a legend's hint. */
export const INSTANCE_STATE_HINTS: Record<InstanceState, string> = {
  waiting: "its task waits for the tasks it depends on",
  queued: "waits for a radiator that wants heat",
  dispatched: "sent to a radiator, not yet reported started",
  running: "reported started by its radiator",
  succeeded: "ended with exit code 0",
  failed: "ended in error on its last attempt",
  cancelled: "stopped before it ended",
};

export const TASK_STATE_WORDS: Record<TaskState, string> = {
  Submitted: "Queued",
  PartiallyDispatched: "Partly dispatched",
  FullyDispatched: "Dispatched",
  PartiallyExecuting: "Partly running",
  FullyExecuting: "Running",
  PendingCancel: "Cancelling",
  Success: "Succeeded",
  Failure: "Failed",
  Cancelled: "Cancelled",
};

export type StateTone = "neutral" | "success" | "warning" | "danger" | "info";

export const TASK_STATE_TONES: Record<TaskState, StateTone> = {
  Submitted: "neutral",
  PartiallyDispatched: "info",
  FullyDispatched: "info",
  PartiallyExecuting: "info",
  FullyExecuting: "info",
  PendingCancel: "warning",
  Success: "success",
  Failure: "danger",
  Cancelled: "neutral",
};

export type CountPart = { state: InstanceState; count: number; text: string };

/**
 * A task's instance counts as a line of parts in the legend's words and order, e.g.
 * "0 succeeded · 4 dispatched · 0 running". Succeeded is always said; running too while the task
 * has instances still to run (so that "0 running" says nothing has started); the rest only when
 * some instance is in them.
 */
export function instanceCountParts(counts: InstanceStateCounts): CountPart[] {
  const stillToRun = counts.waiting + counts.queued + counts.dispatched + counts.running > 0;
  // Ended ones first, then the active ones in the legend's order.
  const order: InstanceState[] = ["succeeded", "failed", "cancelled", "waiting", "queued", "dispatched", "running"];
  return order
    .filter((s) => s === "succeeded" || counts[s] > 0 || (s === "running" && stillToRun))
    .map((s) => ({ state: s, count: counts[s], text: `${counts[s].toLocaleString("en-GB")} ${INSTANCE_STATE_WORDS[s].toLowerCase()}` }));
}

export const instanceCountLine = (counts: InstanceStateCounts) =>
  instanceCountParts(counts)
    .map((p) => p.text)
    .join(" · ");

export const totalInstances = (counts: InstanceStateCounts) => INSTANCE_STATES.reduce((sum, s) => sum + counts[s], 0);

/**
 * The parts of a task's progress bar, as percentages of its instances: succeeded, failed and
 * cancelled ones for what they are, then the progress made by those dispatched or running.
 * `donePct` is the work done (succeeded plus running progress), never the ended share: a task
 * cancelled before any instance ran is 0 % done with a bar all cancelled.
 * `progressPct` is the task's overall figure: (ended + running progress) / total, in percent.
 */
export function progressBarParts(counts: InstanceStateCounts, progressPct: number) {
  const total = totalInstances(counts);
  if (total === 0) return { succeededPct: 0, failedPct: 0, cancelledPct: 0, activePct: 0, donePct: 0, text: "0 % done, no instances" };
  const share = (n: number) => (100 * n) / total;
  const succeededPct = share(counts.succeeded);
  const failedPct = share(counts.failed);
  const cancelledPct = share(counts.cancelled);
  const ended = succeededPct + failedPct + cancelledPct;
  const overall = Number.isFinite(progressPct) ? Math.max(0, Math.min(100, progressPct)) : ended;
  // Only dispatched and running instances make progress; what is left of the overall figure is theirs.
  const activeShare = share(counts.dispatched + counts.running);
  const activePct = Math.max(0, Math.min(activeShare, overall - ended));
  const donePct = Math.min(100, Math.floor(succeededPct + activePct));
  const ofTotal = `of ${total.toLocaleString("en-GB")} ${total === 1 ? "instance" : "instances"}`;
  const text = `${donePct} % done: ${instanceCountLine(counts)} ${ofTotal}`;
  return { succeededPct, failedPct, cancelledPct, activePct, donePct, text };
}
