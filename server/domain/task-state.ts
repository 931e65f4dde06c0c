/**
 * A task's state, as Qarnot names it, derived from how many of its instances are in each state
 * (never stored apart from them, so the two cannot disagree).
 *
 * Rules, first match wins (total = sum of all counts; ended = succeeded + failed + cancelled;
 * active = waiting + queued + dispatched + running = total − ended):
 *  1. cancel requested and some instance still dispatched or running → PendingCancel
 *     (radiators have been told to stop; we wait for them to say so).
 *  2. cancel requested → Cancelled (nothing is on a radiator any more). A cancel requested
 *     after the task ended should be refused by the caller, since this rule would win.
 *  3. no instances at all → Submitted (nothing has run, so nothing has succeeded).
 *  4. every instance ended: any failed → Failure; else any cancelled → Cancelled; else Success.
 *  5. some running: all active instances running → FullyExecuting, else PartiallyExecuting.
 *  6. some dispatched: none waiting or queued → FullyDispatched, else PartiallyDispatched.
 *  7. otherwise (only waiting/queued besides ended ones, e.g. retries re-queued) → Submitted.
 */

/** Qarnot's task states, in the order a task usually goes through them. */
export const TASK_STATES = [
  "Submitted",
  "PartiallyDispatched",
  "FullyDispatched",
  "PartiallyExecuting",
  "FullyExecuting",
  "PendingCancel",
  "Success",
  "Failure",
  "Cancelled",
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Success, Failure and Cancelled: no instance of the task will run again. */
export const FINAL_TASK_STATES = ["Success", "Failure", "Cancelled"] as const satisfies readonly TaskState[];
const FINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>(FINAL_TASK_STATES);

/**
 * An instance's states: waiting (its task depends on tasks that have not succeeded yet), queued,
 * dispatched (assigned to a radiator, not yet reported started), running, then one final state.
 */
export const INSTANCE_STATES = ["waiting", "queued", "dispatched", "running", "succeeded", "failed", "cancelled"] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];
export type InstanceStateCounts = Record<InstanceState, number>;

/** One run of an instance on one radiator; "lost" when the radiator went silent (not billed, retried elsewhere). */
export const ATTEMPT_STATES = ["dispatched", "running", "succeeded", "failed", "lost", "cancelled"] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** Qarnot's scheduling types. Donated research work is a separate, lowest class (see PRIORITY_CLASS). */
export const SCHEDULING_TYPES = ["Reserved", "OnDemand", "Flex"] as const;
export type SchedulingType = (typeof SCHEDULING_TYPES)[number];

/**
 * Order in which the scheduler serves work: lower first. Reserved and OnDemand before Flex;
 * donated research only when no paid instance can use the heat.
 */
export const PRIORITY_CLASS = { Reserved: 0, OnDemand: 1, Flex: 2, research: 3 } as const satisfies Record<SchedulingType | "research", number>;

export function deriveTaskState(counts: InstanceStateCounts, cancelRequested: boolean): TaskState {
  for (const [state, n] of Object.entries(counts)) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Bad count of ${state} instances: ${n}`);
  }
  const { waiting, queued, dispatched, running, succeeded, failed, cancelled } = counts;
  const ended = succeeded + failed + cancelled;
  const active = waiting + queued + dispatched + running;
  const total = ended + active;

  if (cancelRequested) return dispatched + running > 0 ? "PendingCancel" : "Cancelled";
  if (total === 0) return "Submitted";
  if (active === 0) {
    if (failed > 0) return "Failure";
    if (cancelled > 0) return "Cancelled";
    return "Success";
  }
  if (running > 0) return running === active ? "FullyExecuting" : "PartiallyExecuting";
  if (dispatched > 0) return waiting + queued === 0 ? "FullyDispatched" : "PartiallyDispatched";
  return "Submitted";
}

/** Success, Failure and Cancelled: no instance of the task will run again. */
export function isFinalTaskState(state: TaskState): boolean {
  return FINAL_STATES.has(state);
}
