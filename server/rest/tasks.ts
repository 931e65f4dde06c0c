import { isFinalTaskState } from "@/server/domain/task-state";
import { LOG_START, readFreshLogs, readLogs, MAX_LOG_CHUNKS, type LogStream } from "@/server/services/task-logs";
import { getOutput, listOutputs } from "@/server/services/task-outputs";
import { getTask, listInstances, listTasks, type InstanceView, type TaskDetail } from "@/server/services/task-queries";
import { cancelTask, createTask, customerProfiles, deleteTask, getJob, updateTask } from "@/server/services/tasks";
import { badRequest, errorReply, RestError, taskNotFound } from "./errors";
import { INPUT_LIMITS, paginateSchema, parseInput, taskCreateSchema, taskUpdateSchema } from "./input";
import { hasInstance, resolveTaskRef } from "./lookup";
import { decodeToken, pageReply, taskFilterOf } from "./paginate";
import { binary, json, noContent, text } from "./responses";
import type { RestContext } from "./routes";
import { isoDate, taskJson, taskSummaryJson } from "./views";

/** Lists (GET /tasks, GET /jobs/{uuid}/tasks) return at most this many, newest first; paginate for more. */
export const MAX_LISTED = 1000;
/** completedInstances and running instance info cover the first instances by number, up to this many. */
export const MAX_INSTANCES_SHOWN = 1000;
/** Outputs are named in completedInstances for tasks of at most this many instances. */
const MAX_INSTANCES_WITH_RESULTS = 1000;
/** GET stdout/stderr returns the last this many characters, like Qarnot's circular buffer. */
export const MAX_LOG_TEXT_CHARS = 4 * 1024 * 1024;

export async function taskIdOf(ctx: RestContext): Promise<string> {
  const ref = ctx.params.uuid!;
  const id = await resolveTaskRef(ctx.db, ctx.auth.organizationId, ref);
  if (!id) throw taskNotFound(ref);
  return id;
}

async function coresByProfile(ctx: RestContext): Promise<Map<string, number>> {
  return new Map((await customerProfiles(ctx.db)).map((p) => [p.name, p.coresPerInstance]));
}

// ---------------------------------------------------------------------------------------------
// Submission

/** One task of a POST /tasks: parsed, checked against its job, created. */
async function submitOne(ctx: RestContext, raw: unknown, profiles: Map<string, number>) {
  const input = parseInput(taskCreateSchema, raw);
  const profile = input.profile!;
  if (!profiles.has(profile)) {
    throw badRequest("profile", `unknown profile ${JSON.stringify(profile)}; GET /profiles lists them (${[...profiles.keys()].join(", ")})`);
  }
  const job = input.jobUuid ? await getJob(ctx.db, { organizationId: ctx.auth.organizationId, jobId: input.jobUuid }) : null;
  if (input.jobUuid && !job) throw badRequest("jobUuid", "no such job in this account");
  const dependsOn = input.dependencies?.dependsOn ?? [];
  if (dependsOn.length > 0 && !job?.useDependencies) {
    throw badRequest("dependencies.dependsOn", "dependencies need a job created with useDependencies: true, given in jobUuid");
  }
  return createTask(ctx.db, {
    organizationId: ctx.auth.organizationId,
    profileName: profile,
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
  });
}

/**
 * POST /tasks: one task → 201 {"uuid"}; a list → 200 with one {statusCode, uuid, message} per task,
 * in the same order, each created or refused on its own (as Qarnot's bulk submission).
 */
export async function postTasks(ctx: RestContext): Promise<Response> {
  const body = await ctx.body();
  const profiles = await coresByProfile(ctx);
  if (!Array.isArray(body)) {
    const task = await submitOne(ctx, body, profiles);
    return json(201, { uuid: task.id });
  }
  if (body.length === 0) throw badRequest("body", "the list of tasks is empty");
  if (body.length > INPUT_LIMITS.maxBulkTasks) {
    throw badRequest("body", `at most ${INPUT_LIMITS.maxBulkTasks} tasks per request (got ${body.length})`);
  }
  const results = [];
  for (const item of body) {
    try {
      const task = await submitOne(ctx, item, profiles);
      results.push({ statusCode: 201, uuid: task.id, message: null });
    } catch (err) {
      const reply = errorReply(err);
      results.push({ statusCode: reply.status, uuid: null, message: reply.message });
    }
  }
  return json(200, results);
}

// ---------------------------------------------------------------------------------------------
// Reading tasks

/** The instances shown in a task's JSON and the names of their outputs. */
async function instancesOf(ctx: RestContext, t: TaskDetail) {
  const org = ctx.auth.organizationId;
  const c = t.counts;
  const instances: InstanceView[] =
    c.succeeded + c.failed + c.cancelled + c.dispatched + c.running > 0
      ? ((await listInstances(ctx.db, { organizationId: org, taskId: t.id, page: 1, pageSize: MAX_INSTANCES_SHOWN, now: ctx.now }))?.instances ?? [])
      : [];
  const outputs = new Map<number, string[]>();
  if (c.succeeded > 0 && t.instanceCount <= MAX_INSTANCES_WITH_RESULTS) {
    for (const o of (await listOutputs(ctx.db, { organizationId: org, taskId: t.id })) ?? []) {
      outputs.set(o.instanceNumber, [...(outputs.get(o.instanceNumber) ?? []), o.name]);
    }
  }
  return { instances, outputs };
}

async function loadTask(ctx: RestContext, taskId: string) {
  const t = await getTask(ctx.db, { organizationId: ctx.auth.organizationId, taskId, now: ctx.now });
  if (!t) throw taskNotFound(ctx.params.uuid ?? taskId);
  return t;
}

/** GET /tasks/{uuid}: the whole task, as the SDK's wait(), state and status read it. */
export async function getTaskRoute(ctx: RestContext): Promise<Response> {
  const t = await loadTask(ctx, await taskIdOf(ctx));
  const cores = (await coresByProfile(ctx)).get(t.profileName) ?? 1;
  return json(200, taskJson(t, cores, await instancesOf(ctx, t), ctx.now));
}

/** GET /tasks/{uuid}/summary */
export async function getTaskSummary(ctx: RestContext): Promise<Response> {
  const t = await loadTask(ctx, await taskIdOf(ctx));
  return json(200, taskSummaryJson(t, (await coresByProfile(ctx)).get(t.profileName) ?? 1));
}

/** GET /tasks: the newest tasks (at most MAX_LISTED) as summaries; `?tag=` keeps those with the tag. */
export async function getTasks(ctx: RestContext): Promise<Response> {
  const tag = ctx.url.searchParams.get("tag") ?? undefined;
  return json(200, await summariesOf(ctx, { tag }));
}

export async function summariesOf(ctx: RestContext, filter: { tag?: string; jobId?: string }) {
  const cores = await coresByProfile(ctx);
  const out = [];
  for (let page = 1; out.length < MAX_LISTED; page++) {
    const got = await listTasks(ctx.db, { organizationId: ctx.auth.organizationId, filter, page, pageSize: 100 });
    out.push(...got.tasks.map((t) => taskSummaryJson(t, cores.get(t.profileName) ?? 1)));
    if (page * 100 >= got.total) break;
  }
  return out.slice(0, MAX_LISTED);
}

/** POST /tasks/paginate (whole tasks) and POST /tasks/summaries/paginate (summaries). */
export function paginateTasks(summaries: boolean) {
  return async (ctx: RestContext): Promise<Response> => {
    const req = parseInput(paginateSchema, await ctx.body());
    const filter = taskFilterOf(req.filter);
    // Whole tasks cost a few queries each: smaller pages.
    const maxPageSize = summaries ? INPUT_LIMITS.maxPageSize : 50;
    if (req.maximumResults && req.maximumResults > maxPageSize) {
      throw badRequest("maximumResults", `must be at most ${maxPageSize}`);
    }
    const cursor = decodeToken(req.token, req.maximumResults, maxPageSize);
    const got = await listTasks(ctx.db, { organizationId: ctx.auth.organizationId, filter, ...cursor });
    const cores = await coresByProfile(ctx);
    const data = [];
    for (const s of got.tasks) {
      if (summaries) {
        data.push(taskSummaryJson(s, cores.get(s.profileName) ?? 1));
        continue;
      }
      const t = await getTask(ctx.db, { organizationId: ctx.auth.organizationId, taskId: s.id, now: ctx.now });
      if (t) data.push(taskJson(t, cores.get(t.profileName) ?? 1, await instancesOf(ctx, t), ctx.now));
    }
    return json(200, pageReply(data, cursor, got.total, req.token));
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
    const taskId = await taskIdOf(ctx);
    let instanceNumber: number | undefined;
    if (perInstance) {
      instanceNumber = instanceNumberOf(ctx);
      if (!(await hasInstance(ctx.db, taskId, instanceNumber))) {
        throw new RestError(404, `No instance ${instanceNumber} in task ${JSON.stringify(ctx.params.uuid)}.`);
      }
    }
    if (mode === "fresh") {
      const fresh = await readFreshLogs(ctx.db, { organizationId, taskId, stream, instanceNumber });
      if (!fresh) throw taskNotFound(ctx.params.uuid!);
      return text(200, fresh.text);
    }
    // Everything, keeping the newest MAX_LOG_TEXT_CHARS characters.
    let out = "";
    let after = LOG_START;
    for (;;) {
      const page = await readLogs(ctx.db, { organizationId, taskId, stream, instanceNumber, after, limit: MAX_LOG_CHUNKS });
      if (!page) throw taskNotFound(ctx.params.uuid!);
      out += page.chunks.map((c) => c.content).join("");
      if (out.length > MAX_LOG_TEXT_CHARS) out = out.slice(out.length - MAX_LOG_TEXT_CHARS);
      if (page.chunks.length < MAX_LOG_CHUNKS) break;
      after = page.cursor;
    }
    return text(200, out);
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
  return binary(file.content, file.contentType, file.name);
}

/** GET /carbon/v1/tasks/{uuid}/carbon-facts: the path the SDK's carbon_facts() calls; not served yet. */
export async function taskCarbonFacts(ctx: RestContext): Promise<Response> {
  await loadTask(ctx, await taskIdOf(ctx));
  throw new RestError(501, "Carbon Facts are not available through the API yet; the task's page in the compute portal shows its energy.");
}
