import { InvalidInputError, isStatementTimeout, READ_TIMEOUT_MESSAGE, ServiceError } from "@/server/services/errors";

/**
 * Errors of the REST API, answered as Qarnot answers them: a JSON body `{"message": …}` and the
 * status code its SDK acts on (400 bad input, 401 bad key, 402 budget, 403 quota or a refused
 * operation, 404 unknown, 413 body too large, 429 slow down).
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The input field at fault, as the client wrote it (e.g. "constants[2].key"). */
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "RestError";
  }
}

export const badRequest = (field: string, message: string) => new RestError(400, `${field}: ${message}`, field);

/** One answer for a task that does not exist and one of another customer: nothing tells them apart. */
export const taskNotFound = (id: string) => new RestError(404, `No task ${JSON.stringify(id)} in this account.`);
export const jobNotFound = (id: string) => new RestError(404, `No job ${JSON.stringify(id)} in this account.`);

/** Service field names → the Qarnot JSON field a client wrote. */
const FIELD_NAMES: Record<string, string> = {
  instanceRanges: "advancedRanges",
  dependsOn: "dependencies.dependsOn",
  dependsOnTaskIds: "dependencies.dependsOn",
  jobId: "jobUuid",
  minCores: "hardwareConstraints",
  minRamGb: "hardwareConstraints",
  maxWallTimeS: "maxWallTime",
  maxRetriesPerInstance: "retrySettings.maxPerInstanceRetries",
  profileName: "profile",
};

export function qarnotField(serviceField: string): string {
  const [head, ...rest] = serviceField.split(".");
  return [FIELD_NAMES[head!] ?? head, ...rest].join(".");
}

/** Qarnot answers 403 both for a quota and for an operation the task's state refuses. */
const REST_STATUS: Record<ServiceError["kind"], number> = {
  "not-found": 404,
  "invalid-input": 400,
  conflict: 403,
  quota: 403,
  budget: 402,
};

/** The status and body an error gets, for a whole request or one item of a bulk submission. */
export function errorReply(err: unknown): { status: number; message: string; field?: string; headers?: Record<string, string> } {
  if (err instanceof RestError) return { status: err.status, message: err.message, field: err.field, headers: err.headers };
  if (err instanceof InvalidInputError) {
    const field = qarnotField(err.field);
    return { status: 400, message: `${field}: ${err.message}`, field };
  }
  if (err instanceof ServiceError) return { status: REST_STATUS[err.kind], message: err.message };
  if (isStatementTimeout(err)) return { status: 503, message: READ_TIMEOUT_MESSAGE, headers: { "Retry-After": "5" } };
  console.error("REST API:", err);
  return { status: 500, message: "Internal error; try again later." };
}

