import { isUuid } from "@/server/domain/text";
import { createJob, deleteEmptyJob, deleteTask, getJob, listJobs, terminateJob, type JobView } from "@/server/services/tasks";
import { badRequest, jobNotFound, RestError } from "./errors";
import { INPUT_LIMITS, jobCreateSchema, parseInput, parsePaginate } from "./input";
import { resolveJobRef } from "./lookup";
import { decodeToken, pageReply } from "./paginate";
import { json, noContent } from "./responses";
import { MAX_LISTED, type RestContext } from "./context";
import { summariesOf } from "./tasks";
import { jobJson } from "./views";

export async function jobIdOf(ctx: RestContext): Promise<string> {
  const ref = ctx.params.uuid!;
  const id = await resolveJobRef(ctx.db, ctx.auth.organizationId, ref);
  if (!id) throw jobNotFound(ref);
  return id;
}

async function loadJob(ctx: RestContext): Promise<JobView> {
  // getJob reads the caller's jobs only: a uuid needs no lookup first.
  const ref = ctx.params.uuid!;
  const job = await getJob(ctx.db, { organizationId: ctx.auth.organizationId, jobId: isUuid(ref) ? ref.toLowerCase() : await jobIdOf(ctx) });
  if (!job) throw jobNotFound(ref);
  return job;
}


/** POST /jobs (the SDK posts to /jobs/): 201 {"uuid"}. */
export async function postJob(ctx: RestContext): Promise<Response> {
  const input = parseInput(jobCreateSchema, await ctx.body());
  const job = await createJob(ctx.db, {
    organizationId: ctx.auth.organizationId,
    name: input.name,
    shortname: input.shortname ?? null,
    useDependencies: input.useDependencies ?? false,
    maxWallTimeS: input.maxWallTime,
    now: ctx.now,
  });
  return json(201, { uuid: job.id });
}

/** GET /jobs: the newest jobs, at most MAX_LISTED. */
export async function getJobs(ctx: RestContext): Promise<Response> {
  const all: JobView[] = [];
  for (let page = 1; all.length < MAX_LISTED; page++) {
    const got = await listJobs(ctx.db, { organizationId: ctx.auth.organizationId, page, pageSize: 100 });
    all.push(...got.jobs);
    if (page * 100 >= got.total) break;
  }
  return json(200, all.slice(0, MAX_LISTED).map(jobJson));
}

/** POST /jobs/paginate. Jobs carry no tags in Hearth, so only a null filter is accepted. */
export async function paginateJobs(ctx: RestContext): Promise<Response> {
  const req = parsePaginate(await ctx.body());
  if (req.filter) throw badRequest("filter", "jobs cannot be filtered (Hearth's jobs have no tags); send null");
  const cursor = decodeToken(req.token, req.maximumResults, INPUT_LIMITS.maxPageSize);
  const got = await listJobs(ctx.db, { organizationId: ctx.auth.organizationId, ...cursor });
  return json(200, pageReply(got.jobs.map(jobJson), cursor, got.total, req.token));
}

export async function getJobRoute(ctx: RestContext): Promise<Response> {
  return json(200, jobJson(await loadJob(ctx)));
}

/** GET /jobs/{uuid}/tasks: its tasks as summaries, newest first. */
export async function getJobTasks(ctx: RestContext): Promise<Response> {
  return json(200, await summariesOf(ctx, { jobId: await jobIdOf(ctx) }));
}

/** POST /jobs/{uuid}/terminate: the job takes no more tasks and its unfinished tasks are aborted. */
export async function terminateJobRoute(ctx: RestContext): Promise<Response> {
  const ok = await terminateJob(ctx.db, { organizationId: ctx.auth.organizationId, jobId: await jobIdOf(ctx), now: ctx.now });
  if (!ok) throw jobNotFound(ctx.params.uuid!);
  return noContent();
}

/**
 * DELETE /jobs/{uuid}?force=true|false: deletes the job and its tasks. With unfinished tasks it is
 * refused (403) unless `force`, which terminates the job first.
 */
export async function deleteJobRoute(ctx: RestContext): Promise<Response> {
  const job = await loadJob(ctx);
  const org = ctx.auth.organizationId;
  const force = (ctx.url.searchParams.get("force") ?? "").toLowerCase() === "true";
  const open = job.openTasks;
  if (open > 0 && !force) {
    throw new RestError(403, `The job still has ${open} unfinished task(s): terminate it first, or delete with ?force=true.`);
  }
  if (open > 0 || job.state === "Active") await terminateJob(ctx.db, { organizationId: org, jobId: job.id, now: ctx.now });
  // Newest first: a task is deleted before the tasks it depends on.
  for (const taskId of [...job.taskIds].reverse()) {
    await deleteTask(ctx.db, { organizationId: org, taskId, now: ctx.now });
  }
  const outcome = await deleteEmptyJob(ctx.db, { organizationId: org, jobId: job.id });
  if (outcome === "missing") throw jobNotFound(ctx.params.uuid!);
  if (outcome === "has-tasks") throw new RestError(403, "A task was added to the job while it was being deleted; delete it again.");
  return noContent();
}
