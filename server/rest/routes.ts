import { jobCarbonFacts, taskCarbonFacts } from "./carbon";
import { getInfo, getProfile, getSettings, listProfiles } from "./account";
import { accountCredits, taskCredits } from "./credits";
import { deleteJobRoute, getJobRoute, getJobs, getJobTasks, paginateJobs, postJob, terminateJobRoute } from "./jobs";
import { openApiDocument } from "./openapi";
import type { RestContext } from "./context";
import { json } from "./responses";
import {
  abortTask,
  deleteTaskRoute,
  getOutputFile,
  getOutputs,
  getTaskRoute,
  getTasks,
  getTaskSummary,
  paginateTasks,
  postTasks,
  putTask,
  taskOutput,
} from "./tasks";

export type Route = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Under /api/v1; `{name}` is one path segment. */
  path: string;
  auth: boolean;
  handler: (ctx: RestContext) => Promise<Response>;
};

const r = (method: Route["method"], path: string, handler: Route["handler"], auth = true): Route => ({ method, path, handler, auth });

/** Every endpoint of the API. openapi.ts describes each one; a test holds the two together. */
export const ROUTES: readonly Route[] = [
  r("GET", "/openapi.json", async () => json(200, openApiDocument), false),
  r("GET", "/settings", getSettings),
  r("GET", "/info", getInfo),
  r("GET", "/profiles", listProfiles),
  r("GET", "/profiles/{name}", getProfile),

  r("POST", "/tasks", postTasks),
  r("GET", "/tasks", getTasks),
  r("POST", "/tasks/paginate", paginateTasks(false)),
  r("POST", "/tasks/summaries/paginate", paginateTasks(true)),
  r("GET", "/tasks/{uuid}", getTaskRoute),
  r("PUT", "/tasks/{uuid}", putTask),
  r("DELETE", "/tasks/{uuid}", deleteTaskRoute),
  r("GET", "/tasks/{uuid}/summary", getTaskSummary),
  r("POST", "/tasks/{uuid}/abort", abortTask),
  r("GET", "/tasks/{uuid}/stdout", taskOutput("stdout", "all", false)),
  r("POST", "/tasks/{uuid}/stdout", taskOutput("stdout", "fresh", false)),
  r("GET", "/tasks/{uuid}/stderr", taskOutput("stderr", "all", false)),
  r("POST", "/tasks/{uuid}/stderr", taskOutput("stderr", "fresh", false)),
  r("GET", "/tasks/{uuid}/stdout/{instanceId}", taskOutput("stdout", "all", true)),
  r("POST", "/tasks/{uuid}/stdout/{instanceId}", taskOutput("stdout", "fresh", true)),
  r("GET", "/tasks/{uuid}/stderr/{instanceId}", taskOutput("stderr", "all", true)),
  r("POST", "/tasks/{uuid}/stderr/{instanceId}", taskOutput("stderr", "fresh", true)),
  r("GET", "/tasks/{uuid}/outputs", getOutputs),
  r("GET", "/tasks/{uuid}/outputs/{outputId}", getOutputFile),

  r("POST", "/jobs", postJob),
  r("GET", "/jobs", getJobs),
  r("POST", "/jobs/paginate", paginateJobs),
  r("GET", "/jobs/{uuid}", getJobRoute),
  r("DELETE", "/jobs/{uuid}", deleteJobRoute),
  r("GET", "/jobs/{uuid}/tasks", getJobTasks),
  r("POST", "/jobs/{uuid}/terminate", terminateJobRoute),

  r("GET", "/carbon/v1/tasks/{uuid}/carbon-facts", taskCarbonFacts),
  r("GET", "/carbon/v1/jobs/{uuid}/carbon-facts", jobCarbonFacts),

  r("GET", "/credits/v1/tasks/{uuid}/credits", taskCredits),
  r("GET", "/credits/v1/accounts/credits", accountCredits),
];
