/**
 * The limits of a task's and a job's inputs, one set for every edge: the portal's forms and tRPC
 * procedures, and the REST API's schemas, derive theirs from these, so that what one edge accepts
 * (a tag, a constant) the other can read and filter on. Client-safe.
 */
export const TASK_LIMITS = {
  maxNameChars: 256,
  maxShortnameChars: 64,
  maxProfileNameChars: 100,
  maxInstancesPerTask: 100_000,
  maxInstanceNumber: 10_000_000,
  /** Qarnot's instance ranges, e.g. "1-250,300". */
  maxRangeSpecChars: 2_000,
  maxConstants: 200,
  maxConstantKeyChars: 128,
  maxConstantValueChars: 16 * 1024,
  /** Keys and values together. */
  maxConstantsTotalChars: 64 * 1024,
  maxTags: 50,
  maxTagChars: 128,
  maxDependencies: 100,
  maxRetriesPerInstance: 10,
  maxWallTimeS: 30 * 86_400,
  maxCores: 256,
  maxRamGb: 1024,
  maxPageSize: 100,
  maxSearchChars: 100,
} as const;

/**
 * Every account's quota unless the operator set another (a customer_quotas row): instances not
 * yet ended (waiting, queued, dispatched, running) at once, and instances submitted in one request
 * (one REST POST, bulk or not, or one portal submission).
 */
export const DEFAULT_QUOTA = {
  maxActiveInstances: 200_000,
  maxInstancesPerRequest: 100_000,
} as const;

/** What instance ranges may name, for parseInstanceRanges. */
export const INSTANCE_RANGE_LIMITS = {
  maxInstances: TASK_LIMITS.maxInstancesPerTask,
  maxInstanceNumber: TASK_LIMITS.maxInstanceNumber,
} as const;

/** Characters of a task's constants, keys and values together, as the total limit counts them. */
export function constantsChars(constants: Iterable<readonly [string, string]>): number {
  let total = 0;
  for (const [key, value] of constants) total += key.length + value.length;
  return total;
}
