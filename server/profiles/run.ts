import { ConstantsError } from "./constants";
import { runMonteCarlo } from "./monte-carlo";
import { frameFileName, renderFrame } from "./render";

/**
 * What a radiator runs for one instance of a built-in profile, shaped like a process: files it
 * wrote, its stdout and stderr lines, an exit code. It never throws: a bad profile name, bad
 * constants or a crash become stderr and exit code 1, which the device protocol reports as a
 * failed attempt with its log.
 */

export type InstanceOutput = { name: string; contentType: string; content: Buffer };

export type InstanceRun = {
  outputs: InstanceOutput[];
  stdout: string[];
  stderr: string[];
  exitCode: number;
};

/** Profiles this module can run. docker-batch and research need more than a built-in program. */
export const RUNNABLE_PROFILES = ["monte-carlo", "render"] as const;
export type RunnableProfile = (typeof RUNNABLE_PROFILES)[number];

export function isRunnableProfile(name: string): name is RunnableProfile {
  return (RUNNABLE_PROFILES as readonly string[]).includes(name);
}

function failed(stderr: string[], stdout: string[] = []): InstanceRun {
  return { outputs: [], stdout, stderr, exitCode: 1 };
}

export function runInstance(profileName: string, constants: Record<string, string>, instanceNumber: number): InstanceRun {
  const program = typeof profileName === "string" && isRunnableProfile(profileName) ? profileName : null;
  if (program === null) {
    return failed([`hearth-run: unknown profile ${JSON.stringify(profileName)}; this radiator runs ${RUNNABLE_PROFILES.join(", ")}`]);
  }
  if (!Number.isSafeInteger(instanceNumber) || instanceNumber < 0) {
    return failed([`${program}: instance number must be a non-negative integer, got ${String(instanceNumber)}`]);
  }
  if (constants === null || typeof constants !== "object" || Array.isArray(constants)) {
    return failed([`${program}: constants must be a map of names to strings`]);
  }
  try {
    if (program === "monte-carlo") {
      const { result, stdout } = runMonteCarlo(constants, instanceNumber);
      const content = Buffer.from(`${JSON.stringify(result, null, 2)}\n`, "utf8");
      stdout.push(`monte-carlo: wrote result.json (${content.length} bytes)`);
      return { outputs: [{ name: "result.json", contentType: "application/json", content }], stdout, stderr: [], exitCode: 0 };
    }
    const { png, stdout } = renderFrame(constants, instanceNumber);
    return { outputs: [{ name: frameFileName(instanceNumber), contentType: "image/png", content: png }], stdout, stderr: [], exitCode: 0 };
  } catch (error) {
    if (error instanceof ConstantsError) {
      return failed([...error.errors.map((line) => `${program}: ${line}`), `${program}: nothing computed; fix the task's constants and resubmit`]);
    }
    const message = error instanceof Error ? error.message : String(error);
    return failed([`${program}: error: ${message}`]);
  }
}
