import { formatInstanceRanges } from "./instance-ranges";
import { TASK_LIMITS } from "./task-limits";

/** What the submit form starts from when a task is cloned: every field as the form holds it (text). */
export type TaskFormDefaults = {
  profile: string;
  name: string;
  instanceMode: "count" | "ranges";
  instanceCount: string;
  instanceRanges: string;
  /** The profile's own constants, by name; shown in their fields. */
  constants: Record<string, string>;
  /** Constants the profile does not name, one NAME=value per line, as the advanced field takes them. */
  extraConstants: string;
  tags: string;
  schedulingType: "Reserved" | "OnDemand" | "Flex";
  minCores: string;
  minRamGb: string;
  maxWallTimeMin: string;
  maxRetriesPerInstance: string;
  jobId: string;
  dependsOn: string[];
};

export type ClonedTask = {
  profileName: string;
  name: string;
  instanceRanges: string;
  instanceCount: number;
  constants: Record<string, string>;
  tags: string[];
  schedulingType: "Reserved" | "OnDemand" | "Flex";
  minCores: number;
  minRamGb: number;
  maxWallTimeS: number | null;
  maxRetriesPerInstance: number;
  jobId: string | null;
  dependsOn: string[];
};

const COPY = " (copy)";

/**
 * The submit form's values for a copy of `task`. `profileConstants` are the names the form has a
 * field for; the others go to the advanced NAME=value field so that nothing is lost. A task
 * numbered 0…n-1 is cloned as a count, any other numbering as its ranges.
 */
export function cloneDefaults(task: ClonedTask, profileConstants: readonly string[]): TaskFormDefaults {
  const own = new Set(profileConstants);
  const constants: Record<string, string> = {};
  const extra: string[] = [];
  for (const [key, value] of Object.entries(task.constants)) {
    if (own.has(key)) constants[key] = value;
    else extra.push(`${key}=${value}`);
  }
  const byCount = task.instanceCount > 0 && task.instanceRanges === formatInstanceRanges(Array.from({ length: task.instanceCount }, (_, i) => i));
  const name = task.name.length + COPY.length > TASK_LIMITS.maxNameChars ? task.name.slice(0, TASK_LIMITS.maxNameChars - COPY.length) : task.name;
  return {
    profile: task.profileName,
    name: `${name}${COPY}`,
    instanceMode: byCount ? "count" : "ranges",
    instanceCount: String(task.instanceCount),
    instanceRanges: task.instanceRanges,
    constants,
    extraConstants: extra.join("\n"),
    tags: task.tags.join(", "),
    schedulingType: task.schedulingType,
    minCores: String(task.minCores),
    minRamGb: String(task.minRamGb),
    maxWallTimeMin: task.maxWallTimeS === null ? "" : String(Math.round((task.maxWallTimeS / 60) * 1000) / 1000),
    maxRetriesPerInstance: String(task.maxRetriesPerInstance),
    jobId: task.jobId ?? "",
    dependsOn: task.dependsOn,
  };
}

/**
 * The tasks a clone's form offers to depend on: the recent ones, preceded by the cloned task's own
 * dependencies that are older than those, so that none of them is dropped from the copy unseen.
 */
export function dependencyChoices<T extends { id: string }>(recent: readonly T[], dependencies: readonly T[]): T[] {
  const shown = new Set(recent.map((t) => t.id));
  return [...dependencies.filter((t) => !shown.has(t.id)), ...recent];
}
