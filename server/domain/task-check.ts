import { parseMonteCarloConstants } from "@/server/profiles/monte-carlo";
import { parseRenderConstants } from "@/server/profiles/render-constants";
import { parseInstanceRanges } from "./instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "./task-limits";
import { isUuid } from "./text";

/**
 * Each built-in profile's check of a task's constants, one message per problem. Profiles without
 * a check take any constants; constants a profile does not know are kept (tasks may carry others).
 */
const CONSTANTS_CHECKS: Record<string, (constants: Record<string, string>) => string[]> = {
  "monte-carlo": (constants) => {
    const parsed = parseMonteCarloConstants(constants);
    return parsed.ok ? [] : parsed.errors;
  },
  render: (constants) => {
    const parsed = parseRenderConstants(constants);
    return parsed.ok ? [] : parsed.errors;
  },
  "docker-batch": (constants) =>
    ["image", "command"]
      .filter((name) => !constants[name]?.trim())
      .map((name) => `Constant "${name}" is required: the container ${name === "image" ? "image to run" : "command to run in it"}.`),
};

/** The problems of a profile's constants, in one sentence per constant; empty when they are fine. */
export function constantsProblems(profileName: string, constants: Record<string, string>): string[] {
  return CONSTANTS_CHECKS[profileName]?.(constants) ?? [];
}

export type TaskToCheck = {
  profileName: string;
  shortname?: string | null;
  instanceRanges?: string;
  instanceCount?: number;
  constants?: Record<string, string>;
};

/**
 * Every problem of a task's input that can be seen without the database, by field (the
 * services' names: "shortname", "instanceCount", "instanceRanges", "constants"), so that a
 * person fixes them all at once rather than one after the other.
 */
export function taskInputProblems(input: TaskToCheck): Record<string, string> {
  const problems: Record<string, string> = {};
  if (input.shortname && isUuid(input.shortname)) problems.shortname = "A shortname must not look like a uuid.";
  if (input.instanceCount !== undefined && input.instanceCount < 1) {
    problems.instanceCount = "A task needs at least one instance.";
  } else {
    const spec = input.instanceRanges ?? (input.instanceCount !== undefined ? `0-${input.instanceCount - 1}` : "");
    const parsed = parseInstanceRanges(spec, INSTANCE_RANGE_LIMITS);
    if (!parsed.ok) problems[input.instanceRanges !== undefined ? "instanceRanges" : "instanceCount"] = parsed.error;
  }
  const constants = constantsProblems(input.profileName, input.constants ?? {});
  if (constants.length > 0) problems.constants = constants.join(" ");
  return problems;
}
