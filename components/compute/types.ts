/**
 * The shapes the compute pages receive from the `compute` router, inferred from it so that pages
 * and components cannot drift from what the services return.
 */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { INSTANCE_STATES, TASK_STATES, type InstanceState, type InstanceStateCounts, type TaskState } from "@/server/domain/task-state";

export { INSTANCE_STATES, TASK_STATES };
export type { InstanceState, InstanceStateCounts, TaskState };

type Compute = inferRouterOutputs<AppRouter>["compute"];
export type TaskSummary = Compute["tasks"]["tasks"][number];
export type TaskDetail = Compute["task"];
export type QueueStanding = NonNullable<TaskDetail["standing"]>;
export type InstanceView = NonNullable<Compute["instances"]>["instances"][number];
export type ProfileView = Compute["profiles"][number];
export type OutputPage = Compute["outputs"];
export type TaskResult = Compute["result"];
export type JobView = Compute["jobs"]["jobs"][number];

export type InstanceGridView = Compute["instanceGrid"];
export type LogPage = Compute["logs"];

/** A task's metered totals, which an instance's energy is a share of (see server/domain/energy-share.ts). */
export type TaskMeter = { coreSeconds: number; energyWh: number };
