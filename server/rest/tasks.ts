import { centsToEuros } from "@/server/domain/billing";
import { isUuid } from "@/server/domain/text";
import { isFinalTaskState } from "@/server/domain/task-state";
import { readFreshLogs, readLogTail, type LogStream } from "@/server/services/task-logs";
import { getOutput, listOutputs } from "@/server/services/task-outputs";
import { getTask, taskSummaryViews, taskViews, type TaskFilter, type TaskSelection } from "@/server/services/task-queries";
import { cancelTask, createTasks, customerProfiles, deleteTask, getJobs, updateTask, type JobView, type NewTask } from "@/server/services/tasks";
import { badRequest, errorReply, RestError, taskNotFound } from "./errors";
import { INPUT_LIMITS, parseInput, parsePaginate, taskCreateSchema, taskUpdateSchema, type TaskCreateInput } from "./input";
import { hasInstance, resolveTaskRef } from "./lookup";
import { decodeToken, pageReply, taskFilterOf } from "./paginate";
import { json, noContent, outputFile, text } from "./responses";
import { MAX_LISTED, MAX_LOG_TEXT_CHARS, type RestContext } from "./context";
import { isoDate, taskJson, taskSummaryJson } from "./views";

/**
 * completedInstances and running instance info cover the first instances by number, up to this
 * many; outputs are named in completedInstances for tasks of at most this many instances.
 */
export const MAX_INSTANCES_SHOWN = 1000;

export async function taskIdOf(ctx: RestContext): Promise<string> {
  const ref = ctx.params.uuid!;
  const id = await resolveTaskRef(ctx.db, ctx.auth.organizationId, ref);
  if (!id) throw taskNotFound(ref);
  return id;
}

/**
 * The id a path names, for reads whose service checks the task is the caller's itself: a uuid as
 * it is (no query), a shortname looked up in the caller's account.
 */
async function taskRefOf(ctx: RestContext): Promise<string> {
  const ref = ctx.params.uuid!;
  return isUuid(ref) ? ref.toLowerCase() : taskIdOf(ctx);
}

async function profileNames(ctx: RestContext): Promise<Set<string>> {
  return new Set((await customerProfiles(ctx.db)).map((p) => p.name));
}

// ---------------------------------------------------------------------------------------------
// Submission

/** One task of a POST /tasks, parsed, its profile known. */
function parseTask(raw: unknown, profiles: Set<string>): TaskCreateInput {
  const input = parseInput(taskCreateSchema, raw);
  if (!profiles.has(input.profile!)) {
    throw badRequest("profile", `unknown profile ${JSON.stringify(input.profile)}; GET /profiles lists them (${[...profiles].join(", ")})`);
  }
  return input;
}

/** The service's task for a parsed one, checked against its job (null: none given, undefined: not the caller's). */
function newTask(ctx: RestContext, input: TaskCreateInput, job: JobView | null | undefined): NewTask {
  if (input.jobUuid && !job) throw badRequest("jobUuid", "no such job in this account");
  const dependsOn = input.dependencies?.dependsOn ?? [];
  if (dependsOn.length > 0 && !job?.useDependencies) {
    throw badRequest("dependencies.dependsOn", "dependencies need a job created with useDependencies: true, given in jobUuid");
  }
  return {
    organizationId: ctx.auth.organizationId,
    profileName: input.profile!,
    name: input.name,
    shortname: input.shortname ?? null,
    ...(input.advancedRanges !== null && input.advancedRanges !== undefined
      ? { instanceRanges: input.advancedRanges }
      : { instanceCount: input.instanceCount! }),
    schedulingType: input.schedulingType,
    constants: input.constants,
    tags: input.tags,
    minCores: input.hardwareConstraints.minCores,
    minRamGb: input.hardwareConstraints.minRamGb,
    // An instance cannot outlive its job's wall time.
    maxWallTimeS: input.maxWallTime ?? job?.maxWallTimeS ?? null,
    maxRetriesPerInstance: input.retrySettings?.maxPerInstanceRetries ?? undefined,
    jobId: job?.id ?? null,
    dependsOnTaskIds: dependsOn.map((d) => d.toLowerCase()),
    now: ctx.now,
  };
}

type Submitted = { task: { id: string }; estimateCents: number; budgetAlert: string | null } | { error: unknown };

/**
 * The tasks of a POST /tasks, each created or refused on its own, in order. Their jobs are read
 * once for all of them, and the tasks created together.
 */
async function submit(ctx: RestContext, raws: unknown[]): Promise<Submitted[]> {
  const profiles = await profileNames(ctx);
  const results: Submitted[] = [];
  const inputs = raws.map((raw, k) => {
    try {
      return parseTask(raw, profiles);
    } catch (error) {
      results[k] = { error };
      return null;
    }
  });
  const jobUuids = inputs.flatMap((input) => (input?.jobUuid ? [input.jobUuid] : []));
  const jobs = jobUuids.length === 0 ? [] : await getJobs(ctx.db, { organizationId: ctx.auth.organizationId, jobIds: jobUuids });
  const jobsById = new Map(jobs.map((j) => [j.id, j]));
  const checked: Array<{ k: number; task: NewTask }> = [];
  inputs.forEach((input, k) => {
    if (!input) return;
    try {
      checked.push({ k, task: newTask(ctx, input, input.jobUuid ? jobsById.get(input.jobUuid.toLowerCase()) : null) });
    } catch (error) {
      results[k] = { error };
    }
  });
  const created = await createTasks(ctx.db, checked.map((c) => c.task));
  created.forEach((c, i) => (results[checked[i]!.k] = c));
  return results;
}

/**
 * POST /tasks: one task → 201 {"uuid", "hearth": {estimate}}; 402 when it would overrun a blocking budget; a list → 200 with one {statusCode, uuid, message} per task,
 * in the same order, each created or refused on its own (as Qarnot's bulk submission).
 */
export async function postTasks(ctx: RestContext): Promise<Response> {
  const body = await ctx.body();
  if (!Array.isArray(body)) {
    const [one] = await submit(ctx, [body]);
    if ("error" in one!) throw one.error;
    // Hearth's addition: the estimate the budget was judged with, and an alert-only budget's overrun.
    const hearth = { estimateCents: one!.estimateCents, estimatedCredits: centsToEuros(one!.estimateCents), budgetAlert: one!.budgetAlert };
    return json(201, { uuid: one!.task.id, hearth });
  }
  if (body.length === 0) throw badRequest("body", "the list of tasks is empty");
  if (body.length > INPUT_LIMITS.maxBulkTasks) {
    throw badRequest("body", `at most ${INPUT_LIMITS.maxBulkTasks} tasks per request (got ${body.length})`);
  }
  const results = (await submit(ctx, body)).map((r) => {
    if ("task" in r) return { statusCode: 201, uuid: r.task.id, message: null };
    const reply = errorReply(r.error);
    return { statusCode: reply.status, uuid: null, message: reply.message };
  });
  return json(200, results);
}

// ---------------------------------------------------------------------------------------------
// Reading tasks

/** Whole tasks as their JSON shows them, in a few queries for a page as for one. */
function readWhole(ctx: RestContext, select: TaskSelection) {
  return taskViews(ctx.db, { organizationId: ctx.auth.organizationId, instancesPerTask: MAX_INSTANCES_SHOWN, now: ctx.now, ...select });
}

async function loadTask(ctx: RestContext, taskId: string) {
  const t = await getTask(ctx.db, { organizationId: ctx.auth.organizationId, taskId, now: ctx.now });
  if (!t) throw taskNotFound(ctx.params.uuid ?? taskId);
  return t;
}

/** GET /tasks/{uuid}: the whole task, as the SDK's wait(), state and status read it. */
export async function getTaskRoute(ctx: RestContext): Promise<Response> {
  const [t] = (await readWhole(ctx, { taskIds: [await taskRefOf(ctx)] })).tasks;
  if (!t) throw taskNotFound(ctx.params.uuid!);
  return json(200, taskJson(t, ctx.now));
}

/** GET /tasks/{uuid}/summary */
export async function getTaskSummary(ctx: RestContext): Promise<Response> {
  const [t] = (await taskSummaryViews(ctx.db, { organizationId: ctx.auth.organizationId, taskIds: [await taskRefOf(ctx)] })).tasks;
  if (!t) throw taskNotFound(ctx.params.uuid!);
  return json(200, taskSummaryJson(t));
}

/** GET /tasks: the newest tasks (at most MAX_LISTED) as summaries; `?tag=` keeps those with the tag. */
export async function getTasks(ctx: RestContext): Promise<Response> {
  const tag = ctx.url.searchParams.get("tag") ?? undefined;
  return json(200, await summariesOf(ctx, { tag }));
}

/** The newest MAX_LISTED tasks matching `filter`, as summaries, in one read. */
export async function summariesOf(ctx: RestContext, filter: TaskFilter) {
  const got = await taskSummaryViews(ctx.db, { organizationId: ctx.auth.organizationId, filter, page: 1, pageSize: MAX_LISTED });
  return got.tasks.map(taskSummaryJson);
}

/** POST /tasks/paginate (whole tasks) and POST /tasks/summaries/paginate (summaries). */
export function paginateTasks(summaries: boolean) {
  return async (ctx: RestContext): Promise<Response> => {
    const req = parsePaginate(await ctx.body());
    const filter = taskFilterOf(req.filter);
    // Whole tasks carry up to MAX_INSTANCES_SHOWN instances each: smaller pages.
    const maxPageSize = summaries ? INPUT_LIMITS.maxPageSize : 50;
    if (req.maximumResults && req.maximumResults > maxPageSize) {
      throw badRequest("maximumResults", `must be at most ${maxPageSize}`);
    }
    const cursor = decodeToken(req.token, req.maximumResults, maxPageSize);
    if (summaries) {
      const got = await taskSummaryViews(ctx.db, { organizationId: ctx.auth.organizationId, filter, ...cursor });
      return json(200, pageReply(got.tasks.map(taskSummaryJson), cursor, got.total, req.token));
    }
    const got = await readWhole(ctx, { filter, ...cursor });
    return json(200, pageReply(got.tasks.map((t) => taskJson(t, ctx.now)), cursor, got.total, req.token));
  };
}

// ---------------------------------------------------------------------------------------------
// Changing tasks

/** PUT /tasks/{uuid}: name, tags and constants (the SDK's commit() sends the whole task). */
export async function putTask(ctx: RestContext): Promise<Response> {
  const taskId = await taskIdOf(ctx);
  const input = parseInput(taskUpdateSchema, await ctx.body());
  const ok = await updateTask(ctx.db, {
    organizationId: ctx.auth.organizationId,
    taskId,
    name: input.name,
    tags: input.tags,
    constants: input.constants,
  });
  if (!ok) throw taskNotFound(ctx.params.uuid!);
  return noContent();
}

/** POST /tasks/{uuid}/abort: 204; 403 once the task has ended (Qarnot refuses to abort a task that is not running). */
export async function abortTask(ctx: RestContext): Promise<Response> {
  const t = await loadTask(ctx, await taskIdOf(ctx));
  if (isFinalTaskState(t.state)) throw new RestError(403, `The task has already ended (${t.state}): there is nothing to abort.`);
  if (!t.cancelRequested) await cancelTask(ctx.db, { organizationId: ctx.auth.organizationId, taskId: t.id, now: ctx.now });
  return noContent();
}

/** DELETE /tasks/{uuid}: aborts it if needed, then deletes it; 403 while instances still stop on radiators. */
export async function deleteTaskRoute(ctx: RestContext): Promise<Response> {
  const taskId = await taskIdOf(ctx);
  const deleted = await deleteTask(ctx.db, { organizationId: ctx.auth.organizationId, taskId, now: ctx.now });
  if (!deleted) throw taskNotFound(ctx.params.uuid!);
  return noContent();
}

// ---------------------------------------------------------------------------------------------
// Output

function instanceNumberOf(ctx: RestContext): number {
  const raw = ctx.params.instanceId!;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new RestError(404, `No instance ${JSON.stringify(raw)} in this task.`);
  return n;
}

/**
 * GET /tasks/{uuid}/stdout (and stderr, and …/{instanceId}): all the text so far, as text/plain.
 * POST on the same paths: Qarnot's "fresh" output, only what arrived since the previous POST.
 */
export function taskOutput(stream: LogStream, mode: "all" | "fresh", perInstance: boolean) {
  return async (ctx: RestContext): Promise<Response> => {
    const organizationId = ctx.auth.organizationId;
    const noInstance = (n: number) => new RestError(404, `No instance ${n} in task ${JSON.stringify(ctx.params.uuid)}.`);
    if (mode === "all") {
      // The newest MAX_LOG_TEXT_CHARS characters, read from the end of the log.
      const taskId = await taskRefOf(ctx);
      let instanceNumber: number | undefined;
      if (perInstance) {
        try {
          instanceNumber = instanceNumberOf(ctx);
        } catch (err) {
          await taskIdOf(ctx); // a task not found is said first, as on every path
          throw err;
        }
      }
      const tail = await readLogTail(ctx.db, { organizationId, taskId, stream, instanceNumber, maxChars: MAX_LOG_TEXT_CHARS });
      if (!tail) throw taskNotFound(ctx.params.uuid!);
      if (!tail.instanceFound) throw noInstance(instanceNumber!);
      return text(200, tail.text);
    }
    const taskId = await taskIdOf(ctx);
    let instanceNumber: number | undefined;
    if (perInstance) {
      instanceNumber = instanceNumberOf(ctx);
      if (!(await hasInstance(ctx.db, taskId, instanceNumber))) throw noInstance(instanceNumber);
    }
    const fresh = await readFreshLogs(ctx.db, { organizationId, taskId, stream, instanceNumber });
    if (!fresh) throw taskNotFound(ctx.params.uuid!);
    return text(200, fresh.text);
  };
}

/** GET /tasks/{uuid}/outputs (Hearth): the output files of the instances that succeeded. */
export async function getOutputs(ctx: RestContext): Promise<Response> {
  const taskId = await taskIdOf(ctx);
  const outputs = await listOutputs(ctx.db, { organizationId: ctx.auth.organizationId, taskId });
  if (!outputs) throw taskNotFound(ctx.params.uuid!);
  return json(
    200,
    outputs.map((o) => ({
      id: o.id,
      instanceId: o.instanceNumber,
      name: o.name,
      contentType: o.contentType,
      sizeBytes: o.sizeBytes,
      creationDate: isoDate(o.createdAt),
      url: `/api/v1/tasks/${taskId}/outputs/${o.id}`,
    })),
  );
}

/** GET /tasks/{uuid}/outputs/{outputId} (Hearth): one output file's bytes. */
export async function getOutputFile(ctx: RestContext): Promise<Response> {
  const taskId = await taskIdOf(ctx);
  const raw = ctx.params.outputId!;
  const outputId = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  const file = Number.isSafeInteger(outputId)
    ? await getOutput(ctx.db, { organizationId: ctx.auth.organizationId, taskId, outputId })
    : null;
  if (!file) throw new RestError(404, `No output ${JSON.stringify(raw)} in this task.`);
  return outputFile(file);
}
