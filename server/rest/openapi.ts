import { z } from "zod";
import { CURRENT_METHODOLOGY } from "@/server/domain/carbon";
import { INPUT_LIMITS, requestBodies } from "./input";
import { RATE_LIMIT } from "./rate-limit";
import { MAX_LISTED, MAX_LOG_TEXT_CHARS } from "./context";

const RATE_LIMIT_DOC = `${RATE_LIMIT.ratePerS} requests per second, bursts of ${RATE_LIMIT.burst}, per key and per server process`;

/**
 * The OpenAPI 3.1 description of the REST API, served at GET /api/v1/openapi.json. Written by hand
 * next to the routes (routes.ts); a test checks that every route is described here and nothing else.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const jsonBody = (schema: object, description?: string) => ({
  ...(description && { description }),
  content: { "application/json": { schema } },
});
const textBody = (description: string) => ({ description, content: { "text/plain": { schema: { type: "string" } } } });

const taskRef = { name: "uuid", in: "path", required: true, description: "The task's uuid or shortname.", schema: { type: "string" } };
const jobRef = { name: "uuid", in: "path", required: true, description: "The job's uuid or shortname.", schema: { type: "string" } };
const comparisonDatacenter = {
  name: "comparisonDatacenter",
  in: "query",
  required: false,
  description: `The datacenter to compare with: ${CURRENT_METHODOLOGY.datacenters.map((d) => d.name).join(", ")} (default ${CURRENT_METHODOLOGY.defaultDatacenter}).`,
  schema: { type: "string" },
};
const instanceId = { name: "instanceId", in: "path", required: true, description: "Instance number.", schema: { type: "integer", minimum: 0 } };

const grams = z.number().describe("gCO2e");
const carbonFactsSchema = z.object({
  total_consumed_energy_Wh: z.number().describe("IT energy plus the gateways' share, Wh"),
  total_energy_it_Wh: z.number().describe("Energy the radiators' meters gave the work (the ledger), Wh"),
  total_reused_energy_Wh: z.number().describe("IT energy drawn while the room asked for heat, Wh"),
  qarnot_carbon_footprint: grams.describe("Grid emissions of the consumed energy plus the hardware's embodied share, gCO2e"),
  equivalent_datacenter_name: z.string(),
  equivalent_DC_carbon_footprint: grams.describe("The same work in the comparison datacenter plus the rooms' own heating, gCO2e"),
  saved_carbon_footprint_compute: grams,
  saved_carbon_footprint_heat: grams,
  saved_carbon_footprint_compute_heat: grams,
  saved_carbon_footprint_percent: z.number(),
  PUE: z.number(),
  ERE: z.number(),
  ERF: z.number(),
  WUE: z.number().describe("L/kWh"),
  methodology_version: z.string().describe("The methodology version that made these figures"),
  sci_gCO2e_per_instance_hour: z.number().describe("Software Carbon Intensity per instance-hour"),
});

/** Answers every authenticated operation may give. */
const common = {
  "401": error("Missing, unknown or revoked API key."),
  "429": {
    description: `Too many requests for this API key (${RATE_LIMIT_DOC}). Retry after the number of seconds in Retry-After.`,
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
    content: { "application/json": { schema: ref("Error") } },
  },
};
const notFoundTask = { "404": error("No such task in this account (another customer's task gets the same answer).") };
const notFoundJob = { "404": error("No such job in this account (another customer's job gets the same answer).") };
const withBody = { "400": error("Invalid input; `message` and `field` name the field."), "413": error(`Body larger than ${INPUT_LIMITS.maxBodyBytes} bytes.`) };

const outputOps = (stream: "stdout" | "stderr", perInstance: boolean) => {
  const params = perInstance ? [taskRef, instanceId] : [taskRef];
  const scope = perInstance ? "of one instance" : "of all the task's instances";
  const notFound = { "404": error(perInstance ? "No such task, or no such instance in it." : "No such task in this account.") };
  return {
    get: {
      operationId: `get${stream}${perInstance ? "Instance" : ""}`,
      tags: ["Tasks"],
      summary: `The ${stream} ${scope} so far (the last ${MAX_LOG_TEXT_CHARS / 1024 / 1024} MiB)`,
      parameters: params,
      responses: { "200": textBody(`The ${stream} text.`), ...notFound, ...common },
    },
    post: {
      operationId: `fresh${stream}${perInstance ? "Instance" : ""}`,
      tags: ["Tasks"],
      summary: `Fresh ${stream} ${scope}: only what arrived since the previous POST here`,
      description: "The read position is kept per task, stream and scope (the whole task, or one instance) and shared by every key of the account.",
      parameters: params,
      responses: { "200": textBody(`The new ${stream} text (empty when nothing new).`), ...notFound, ...common },
    },
  };
};

const paginateRequest = jsonBody(ref("PaginateRequest"));

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Hearth compute API",
    version: "1.0.0",
    summary: "Qarnot-compatible REST API for Hearth's compute customers.",
    description:
      "Submit and follow batch tasks that run on radiators heating homes. Paths, field names, states and error codes follow " +
      "Qarnot's public compute API, so code written for Qarnot's Python SDK works with `cluster_url` set to this server's `/api/v1`. " +
      "Authenticate with an API key in the `Authorization` header (the bare key, as Qarnot's SDK sends it, or `Bearer <key>`). " +
      "Errors are JSON `{\"message\": …}` with Qarnot's status codes: 400 bad input (the message and `field` name the field), " +
      "401 bad key, 402 a submission that would overrun the account's blocking monthly budget (the message says by how much), 403 quota exceeded or an " +
      "operation the task's state refuses, 404 unknown (or another customer's) task or job, 413 body too large, 429 rate-limited. " +
      "See docs/rest-api.md.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ apiKey: [] }],
  tags: [
    { name: "Account", description: "Settings, user information and profiles." },
    { name: "Tasks", description: "A task is one submission of N instances of a profile." },
    { name: "Jobs", description: "A job groups tasks, optionally with dependencies between them." },
    { name: "Carbon", description: "Carbon Facts of tasks and jobs, by the methodology at /compute/carbon/methodology." },
    { name: "Credits", description: "What tasks cost and the account's prepaid credits, in euros." },
  ],
  paths: {
    "/openapi.json": {
      get: {
        operationId: "openApi",
        tags: ["Account"],
        summary: "This document",
        security: [],
        responses: { "200": jsonBody({ type: "object" }, "The OpenAPI description.") },
      },
    },
    "/settings": {
      get: {
        operationId: "getSettings",
        tags: ["Account"],
        summary: "API settings: no bucket storage",
        responses: { "200": jsonBody(ref("Settings"), "Settings."), ...common },
      },
    },
    "/info": {
      get: {
        operationId: "getInfo",
        tags: ["Account"],
        summary: "The account: counts and quota (null: no limit)",
        responses: { "200": jsonBody(ref("UserInfo"), "User information."), ...common },
      },
    },
    "/profiles": {
      get: {
        operationId: "listProfiles",
        tags: ["Account"],
        summary: "Names of the profiles a task may use",
        responses: { "200": jsonBody({ type: "array", items: { type: "string" } }, "Profile names."), ...common },
      },
    },
    "/profiles/{name}": {
      get: {
        operationId: "getProfile",
        tags: ["Account"],
        summary: "A profile and its constants with their default values",
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": jsonBody(ref("Profile"), "The profile."), "404": error("No such profile."), ...common },
      },
    },
    "/tasks": {
      post: {
        operationId: "submitTasks",
        tags: ["Tasks"],
        summary: "Submit a task, or a list of tasks (bulk)",
        description:
          `One task: 201 {"uuid"}, with Hearth's estimate of its cost under \`hearth\` (each instance one run of the profile's expected ` +
          "core-seconds at today's rate); 402 when that estimate would overrun the account's blocking monthly budget, the message " +
          `saying by how much. A list (1 to ${INPUT_LIMITS.maxBulkTasks}): 200 and one result per task, in order; each task is ` +
          "created or refused on its own. Qarnot fields Hearth does not implement (buckets, pools, secrets, snapshots, labels…) " +
          "are accepted with their empty values and refused otherwise.",
        requestBody: { required: true, ...jsonBody({ oneOf: [ref("TaskCreate"), { type: "array", items: ref("TaskCreate"), minItems: 1, maxItems: INPUT_LIMITS.maxBulkTasks }] }) },
        responses: {
          "201": jsonBody(ref("Created"), "The task was created."),
          "200": jsonBody({ type: "array", items: ref("BulkTaskResult") }, "Bulk submission: one result per task."),
          "402": error("The task's estimate would overrun the account's blocking monthly budget; the message says by how much."),
          "403": error("The account's quota of active instances would be exceeded."),
          ...withBody,
          ...common,
        },
      },
      get: {
        operationId: "listTasks",
        tags: ["Tasks"],
        summary: `The newest tasks (at most ${MAX_LISTED}), as summaries`,
        parameters: [{ name: "tag", in: "query", required: false, description: "Only tasks with this tag.", schema: { type: "string" } }],
        responses: { "200": jsonBody({ type: "array", items: ref("TaskSummary") }, "Tasks, newest first."), ...common },
      },
    },
    "/tasks/paginate": {
      post: {
        operationId: "paginateTasks",
        tags: ["Tasks"],
        summary: "A page of whole tasks (at most 50 per page)",
        requestBody: paginateRequest,
        responses: { "200": jsonBody(ref("TaskPage"), "A page of tasks."), ...withBody, ...common },
      },
    },
    "/tasks/summaries/paginate": {
      post: {
        operationId: "paginateTaskSummaries",
        tags: ["Tasks"],
        summary: "A page of task summaries (at most 100 per page)",
        requestBody: paginateRequest,
        responses: { "200": jsonBody(ref("TaskSummaryPage"), "A page of task summaries."), ...withBody, ...common },
      },
    },
    "/tasks/{uuid}": {
      get: {
        operationId: "getTask",
        tags: ["Tasks"],
        summary: "A task, with its status and completed instances",
        parameters: [taskRef],
        responses: { "200": jsonBody(ref("Task"), "The task."), ...notFoundTask, ...common },
      },
      put: {
        operationId: "updateTask",
        tags: ["Tasks"],
        summary: "Change a task's name, tags or constants",
        description: "The SDK's commit() sends the whole task; only name, tags and constants are applied. Instances dispatched from now on get the new constants.",
        parameters: [taskRef],
        requestBody: { required: true, ...jsonBody(ref("TaskUpdate")) },
        responses: { "204": { description: "Updated." }, ...notFoundTask, ...withBody, ...common },
      },
      delete: {
        operationId: "deleteTask",
        tags: ["Tasks"],
        summary: "Abort a task if it runs, then delete it with its logs and outputs",
        parameters: [taskRef],
        responses: {
          "204": { description: "Deleted." },
          "403": error("Instances are still stopping on their radiators (try again in a minute or two), or an unfinished task depends on it."),
          ...notFoundTask,
          ...common,
        },
      },
    },
    "/tasks/{uuid}/summary": {
      get: {
        operationId: "getTaskSummary",
        tags: ["Tasks"],
        summary: "A task's summary",
        parameters: [taskRef],
        responses: { "200": jsonBody(ref("TaskSummary"), "The summary."), ...notFoundTask, ...common },
      },
    },
    "/tasks/{uuid}/abort": {
      post: {
        operationId: "abortTask",
        tags: ["Tasks"],
        summary: "Abort a task",
        description: "Instances not started are cancelled at once; running ones are stopped on their radiator's next report (state PendingCancel, then Cancelled). Aborting again while it stops is accepted.",
        parameters: [taskRef],
        responses: { "204": { description: "Abort requested." }, "403": error("The task has already ended."), ...notFoundTask, ...common },
      },
    },
    "/tasks/{uuid}/stdout": outputOps("stdout", false),
    "/tasks/{uuid}/stderr": outputOps("stderr", false),
    "/tasks/{uuid}/stdout/{instanceId}": outputOps("stdout", true),
    "/tasks/{uuid}/stderr/{instanceId}": outputOps("stderr", true),
    "/tasks/{uuid}/outputs": {
      get: {
        operationId: "listOutputs",
        tags: ["Tasks"],
        summary: "Hearth: the output files of the instances that succeeded",
        parameters: [taskRef],
        responses: { "200": jsonBody({ type: "array", items: ref("Output") }, "Output files."), ...notFoundTask, ...common },
      },
    },
    "/tasks/{uuid}/outputs/{outputId}": {
      get: {
        operationId: "getOutput",
        tags: ["Tasks"],
        summary: "Hearth: one output file",
        parameters: [taskRef, { name: "outputId", in: "path", required: true, schema: { type: "integer" } }],
        responses: {
          "200": { description: "The file's bytes, with its content type.", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          "404": error("No such task or output."),
          ...common,
        },
      },
    },
    "/jobs": {
      post: {
        operationId: "createJob",
        tags: ["Jobs"],
        summary: "Create a job (the SDK posts to /jobs/)",
        requestBody: { required: true, ...jsonBody(ref("JobCreate")) },
        responses: { "201": jsonBody(ref("Created"), "The job was created."), ...withBody, ...common },
      },
      get: {
        operationId: "listJobs",
        tags: ["Jobs"],
        summary: `The newest jobs (at most ${MAX_LISTED})`,
        responses: { "200": jsonBody({ type: "array", items: ref("Job") }, "Jobs, newest first."), ...common },
      },
    },
    "/jobs/paginate": {
      post: {
        operationId: "paginateJobs",
        tags: ["Jobs"],
        summary: "A page of jobs (filter must be null)",
        requestBody: paginateRequest,
        responses: { "200": jsonBody(ref("JobPage"), "A page of jobs."), ...withBody, ...common },
      },
    },
    "/jobs/{uuid}": {
      get: {
        operationId: "getJob",
        tags: ["Jobs"],
        summary: "A job",
        parameters: [jobRef],
        responses: { "200": jsonBody(ref("Job"), "The job."), ...notFoundJob, ...common },
      },
      delete: {
        operationId: "deleteJob",
        tags: ["Jobs"],
        summary: "Delete a job and its tasks",
        parameters: [
          jobRef,
          { name: "force", in: "query", required: false, description: "Terminate the job first if it still has unfinished tasks.", schema: { type: "string", enum: ["true", "false", "True", "False"] } },
        ],
        responses: {
          "204": { description: "Deleted." },
          "403": error("Unfinished tasks and no force, or instances still stopping on radiators."),
          ...notFoundJob,
          ...common,
        },
      },
    },
    "/jobs/{uuid}/tasks": {
      get: {
        operationId: "getJobTasks",
        tags: ["Jobs"],
        summary: "The job's tasks, as summaries",
        parameters: [jobRef],
        responses: { "200": jsonBody({ type: "array", items: ref("TaskSummary") }, "Tasks, newest first."), ...notFoundJob, ...common },
      },
    },
    "/jobs/{uuid}/terminate": {
      post: {
        operationId: "terminateJob",
        tags: ["Jobs"],
        summary: "Terminate a job: it takes no more tasks and its unfinished tasks are aborted",
        parameters: [jobRef],
        responses: { "204": { description: "Terminated." }, ...notFoundJob, ...common },
      },
    },
    "/carbon/v1/tasks/{uuid}/carbon-facts": {
      get: {
        operationId: "getTaskCarbonFacts",
        tags: ["Carbon"],
        summary: "A task's Carbon Facts so far (zeros before it has used energy), by the methodology at /compute/carbon/methodology",
        parameters: [taskRef, comparisonDatacenter],
        responses: { "200": jsonBody(ref("CarbonFacts"), "Qarnot's Carbon Facts fields."), "400": error("Unknown comparison datacenter; the message names it and the known ones."), ...notFoundTask, ...common },
      },
    },
    "/carbon/v1/jobs/{uuid}/carbon-facts": {
      get: {
        operationId: "getJobCarbonFacts",
        tags: ["Carbon"],
        summary: "The Carbon Facts of all a job's tasks so far",
        parameters: [jobRef, comparisonDatacenter],
        responses: { "200": jsonBody(ref("CarbonFacts"), "Qarnot's Carbon Facts fields."), "400": error("Unknown comparison datacenter; the message names it and the known ones."), ...notFoundJob, ...common },
      },
    },
    "/credits/v1/tasks/{uuid}/credits": {
      get: {
        operationId: "getTaskCredits",
        tags: ["Credits"],
        summary: "What a task has cost so far, in euros: the charges of its attempts that ended (billed per core, by the started minute)",
        parameters: [taskRef],
        responses: { "200": jsonBody(ref("Credits"), "The task's cost so far."), ...notFoundTask, ...common },
      },
    },
    "/credits/v1/accounts/credits": {
      get: {
        operationId: "getAccountCredits",
        tags: ["Credits"],
        summary: "The account's prepaid credits balance, in euros: grants less what charges drew (below zero once charges pass the credits)",
        responses: { "200": jsonBody(ref("Credits"), "The account's balance."), ...common },
      },
    },
  },
  components: {
    securitySchemes: {
      apiKey: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: "The API key itself (`Authorization: hk_…`), as Qarnot's SDK sends it; `Bearer hk_…` is accepted too.",
      },
    },
    schemas: {
      CarbonFacts: z.toJSONSchema(carbonFactsSchema),
      Credits: {
        type: "object",
        required: ["credits"],
        properties: { credits: { type: "number", description: "Euros, to the cent (as Qarnot's SDK CreditsClient reads the `credits` key)." } },
      },
      Error: {
        type: "object",
        required: ["message"],
        properties: {
          message: { type: "string" },
          field: { type: "string", description: "The input field at fault (400 only), e.g. `constants[2].key`." },
        },
      },
      Created: {
        type: "object",
        required: ["uuid"],
        properties: {
          uuid: { type: "string", format: "uuid" },
          hearth: {
            type: "object",
            description: "Hearth's addition: the cost estimate the budget was judged with.",
            properties: {
              estimateCents: { type: "integer" },
              estimatedCredits: { type: "number", description: "The same, in euros." },
              budgetAlert: { type: ["string", "null"], description: "Set when the task overruns an alert-only budget: it is let through." },
            },
          },
        },
      },
      BulkTaskResult: {
        type: "object",
        properties: {
          statusCode: { type: "integer", description: "201 when created; else the status this task alone would have got." },
          uuid: { type: ["string", "null"], format: "uuid" },
          message: { type: ["string", "null"] },
        },
      },
      Settings: { type: "object", properties: { storage: { type: "null", description: "No S3-compatible storage: outputs are served by GET /tasks/{uuid}/outputs." } } },
      UserInfo: {
        type: "object",
        description: "Qarnot's user information. Buckets and pools do not exist in Hearth (0). Quotas: null means no limit; Hearth's quota counts active instances of all scheduling types together.",
        properties: {
          email: { type: "string" },
          taskCount: { type: "integer" },
          runningTaskCount: { type: "integer" },
          maxInstances: { type: ["integer", "null"] },
          runningInstanceCount: { type: "integer" },
          runningCoreCount: { type: "integer" },
          computingQuotas: { type: "object" },
          projects: { type: "array", items: {} },
          hearth: { type: "object" },
        },
        additionalProperties: true,
      },
      Profile: {
        type: "object",
        properties: {
          name: { type: "string" },
          description: { type: "string" },
          constants: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string" }, value: { type: "string", description: "Default value." }, description: { type: "string" } } },
          },
          hearth: { type: "object" },
        },
      },
      Constant: { type: "object", required: ["key", "value"], properties: { key: { type: "string" }, value: { type: "string" } } },
      HardwareConstraint: {
        type: "object",
        required: ["discriminator"],
        properties: {
          discriminator: { type: "string", enum: ["MinimumCoreHardwareConstraint", "MinimumRamHardwareConstraint", "NoGpuHardwareConstraint"] },
          coreCount: { type: "integer" },
          minimumMemoryMB: { type: "number" },
        },
      },
      ...requestBodySchemas(),
      TaskState: {
        type: "string",
        enum: ["Submitted", "PartiallyDispatched", "FullyDispatched", "PartiallyExecuting", "FullyExecuting", "Success", "Failure", "Cancelled", "PendingCancel"],
      },
      TaskSummary: {
        type: "object",
        properties: {
          uuid: { type: "string", format: "uuid" },
          name: { type: "string" },
          shortname: { type: "string", description: "The uuid when none was given." },
          profile: { type: "string" },
          poolUuid: { type: "null" },
          jobUuid: { type: ["string", "null"] },
          state: ref("TaskState"),
          instanceCount: { type: "integer" },
          runningInstanceCount: { type: "integer" },
          runningCoreCount: { type: "integer" },
          progress: { type: "number", description: "0–100." },
          creationDate: { type: "string", format: "date-time" },
          endDate: { type: ["string", "null"], format: "date-time" },
          tags: { type: "array", items: { type: "string" } },
          schedulingType: { type: "string" },
          hearth: {
            type: "object",
            description:
              "Instance counts by state, core-seconds, energy (Wh), cost (costCents, cents charged for its attempts that ended) and carbon " +
              "(carbonGCO2e, the footprint of its Carbon Facts, qarnot_carbon_footprint) so far.",
          },
        },
      },
      Task: {
        allOf: [
          ref("TaskSummary"),
          {
            type: "object",
            properties: {
              advancedRanges: { type: ["string", "null"] },
              constants: { type: "array", items: ref("Constant") },
              status: ref("TaskStatus"),
              completedInstances: {
                type: "array",
                description: "Ended instances among the first 1000 by number. Nothing names the node that ran them; the processor is its hardware model's.",
                items: ref("CompletedInstance"),
              },
              executionTime: { type: "string", description: "Sum of the instances' run times, \"hh:mm:ss\"." },
              wallTime: { type: "string" },
              hardwareConstraints: { type: "array", items: ref("HardwareConstraint") },
              retrySettings: { type: "object" },
              dependencies: { type: "object" },
              errors: { type: "array", items: {} },
            },
          },
        ],
      },
      TaskStatus: {
        type: "object",
        properties: {
          executionProgress: { type: "number" },
          instanceCount: { type: "integer", description: "Running instances." },
          succeededRange: { type: "string" },
          executedRange: { type: "string" },
          failedRange: { type: "string" },
          executionTime: { type: "string" },
          executionTimeSec: { type: "integer" },
          wallTime: { type: "string" },
          wallTimeSec: { type: "integer" },
          executionTimeByCpuModel: { type: "array", items: {} },
          executionTimeGhzByCpuModel: { type: "array", items: {} },
          runningInstancesInfo: { type: "object" },
        },
        additionalProperties: true,
      },
      CompletedInstance: {
        type: "object",
        properties: {
          instanceId: { type: "integer" },
          state: { type: "string", enum: ["Success", "Failure", "Cancelled"] },
          wallTimeSec: { type: "number" },
          execTimeSec: { type: "number", description: "Core-seconds." },
          results: { type: "array", items: { type: "string" }, description: "Output file names." },
          executionAttemptCount: { type: "integer" },
          cpuModel: { type: ["string", "null"], description: "The processor of the hardware model its last attempt ran on (the same for every node of that model)." },
          coreCount: { type: ["integer", "null"], description: "That processor's cores." },
          exitCode: { type: ["integer", "null"] },
          energyWh: { type: "number" },
        },
      },
      Job: {
        type: "object",
        properties: {
          uuid: { type: "string", format: "uuid" },
          name: { type: "string" },
          shortname: { type: "string" },
          state: { type: "string", enum: ["Active", "Terminating", "Completed"] },
          creationDate: { type: "string", format: "date-time" },
          useDependencies: { type: "boolean" },
          maxWallTime: { type: ["string", "null"] },
          poolUuid: { type: "null" },
        },
      },
      Output: {
        type: "object",
        properties: {
          id: { type: "integer" },
          instanceId: { type: "integer" },
          name: { type: "string" },
          contentType: { type: "string" },
          sizeBytes: { type: "integer" },
          creationDate: { type: "string", format: "date-time" },
          url: { type: "string" },
        },
      },
      TaskPage: page("Task"),
      TaskSummaryPage: page("TaskSummary"),
      JobPage: page("Job"),
    },
  },
} as const;

function page(item: string) {
  return {
    type: "object",
    properties: {
      data: { type: "array", items: ref(item) },
      token: { type: ["string", "null"] },
      nextToken: { type: ["string", "null"] },
      isTruncated: { type: "boolean" },
    },
  };
}

/** The request bodies' JSON Schemas, from the schemas that parse them: what a client may send. */
function requestBodySchemas(): Record<string, object> {
  const { schemas } = z.toJSONSchema(requestBodies, {
    io: "input",
    // Refinements and transforms have no JSON Schema; their input side is what a client writes.
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    // Components take the document's dialect: no $schema or $id of their own.
    Object.entries(schemas).map(([id, schema]) => [id, Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"))]),
  );
}
