import { z } from "zod";
import { constantsChars, TASK_LIMITS as LIMITS } from "@/server/domain/task-limits";
import { INSTANCE_STATES, SCHEDULING_TYPES, TASK_STATES } from "@/server/domain/task-state";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { listNotifications, markNotificationsRead } from "@/server/services/notifications";
import { formatLogCursor, LOG_CURSOR_PATTERN, parseLogCursor, readLogs } from "@/server/services/task-logs";
import { outputsPage, taskResult } from "@/server/services/task-outputs";
import { countTasksByState, getTask, instanceGrid, listInstances, listTasks, queueStanding, taskExists } from "@/server/services/task-queries";
import {
  cancelInstances,
  cancelTask,
  createJob,
  createTask,
  customerProfiles,
  getJob,
  listJobs,
  rerunFailedInstances,
} from "@/server/services/tasks";
import { found, NotFoundError } from "@/server/services/errors";
import { taskInputProblems } from "@/server/domain/task-check";
import { noControlCharacters, noNul } from "@/server/domain/text";
import { createTRPCRouter, customerProcedure } from "../trpc";

const atMost = (n: number, what = "characters") => `At most ${n.toLocaleString("en-US")} ${what}.`;
const WHOLE = "Enter a whole number.";

// Every text input refuses control characters (a NUL cannot even reach PostgreSQL); a constant's value only NUL.
const SHORTNAME = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.maxShortnameChars, atMost(LIMITS.maxShortnameChars))
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, dashes and underscores.");

const NAME = (missing: string) => noControlCharacters(z.string().trim().min(1, missing).max(LIMITS.maxNameChars, atMost(LIMITS.maxNameChars)));
const TAG = noControlCharacters(z.string().trim().min(1, "A tag cannot be empty.").max(LIMITS.maxTagChars, atMost(LIMITS.maxTagChars)));
const PROFILE = noControlCharacters(
  z.string().trim().min(1, "Choose a profile.").max(LIMITS.maxProfileNameChars, atMost(LIMITS.maxProfileNameChars)),
);
const INSTANCE_NUMBER = z.number(WHOLE).int(WHOLE).min(0, "Instance numbers start at 0.").max(LIMITS.maxInstanceNumber, atMost(LIMITS.maxInstanceNumber, "as an instance number"));
const WALL_TIME_S = z.number(WHOLE).int(WHOLE).min(1, "At least 1 second.").max(LIMITS.maxWallTimeS, `At most ${LIMITS.maxWallTimeS / 86_400} days.`);

const CONSTANTS = z
  .record(
    noControlCharacters(z.string().trim().min(1).max(LIMITS.maxConstantKeyChars, atMost(LIMITS.maxConstantKeyChars))),
    noNul(z.string().max(LIMITS.maxConstantValueChars, atMost(LIMITS.maxConstantValueChars))),
  )
  .refine((c) => Object.keys(c).length <= LIMITS.maxConstants, atMost(LIMITS.maxConstants, "constants"))
  .refine((c) => constantsChars(Object.entries(c)) <= LIMITS.maxConstantsTotalChars, atMost(LIMITS.maxConstantsTotalChars, "characters of constants in all"));

const paging = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(LIMITS.maxPageSize).default(25),
};

const taskRef = { taskId: z.uuid("Not a task id.") };

/** A task as the portal submits it; forms may check it before submitting (it needs no database). */
export const SUBMIT_TASK_INPUT = z
  .object({
    profile: PROFILE,
    name: NAME("Name the task."),
    shortname: SHORTNAME.optional(),
    instanceRanges: noControlCharacters(z.string().trim().max(LIMITS.maxRangeSpecChars, atMost(LIMITS.maxRangeSpecChars))).optional(),
    instanceCount: z
      .number(WHOLE)
      .int(WHOLE)
      .min(1, "At least 1 instance.")
      .max(LIMITS.maxInstancesPerTask, atMost(LIMITS.maxInstancesPerTask, "instances"))
      .optional(),
    constants: CONSTANTS.default({}),
    tags: z.array(TAG).max(LIMITS.maxTags, atMost(LIMITS.maxTags, "tags")).default([]),
    schedulingType: z.enum(SCHEDULING_TYPES).default("Flex"),
    minCores: z.number(WHOLE).int(WHOLE).min(1, "At least 1 core.").max(LIMITS.maxCores, atMost(LIMITS.maxCores, "cores")).optional(),
    minRamGb: z.number(WHOLE).int(WHOLE).min(1, "At least 1 GB.").max(LIMITS.maxRamGb, atMost(LIMITS.maxRamGb, "GB")).optional(),
    maxWallTimeS: WALL_TIME_S.optional(),
    maxRetriesPerInstance: z.number(WHOLE).int(WHOLE).min(0, "No fewer than 0 retries.").max(LIMITS.maxRetriesPerInstance, atMost(LIMITS.maxRetriesPerInstance, "retries")).optional(),
    jobId: z.uuid("Not a job id.").optional(),
    dependsOnTaskIds: z.array(z.uuid("Not a task id.")).max(LIMITS.maxDependencies, atMost(LIMITS.maxDependencies, "tasks")).default([]),
  })
  .refine((t) => (t.instanceRanges === undefined) !== (t.instanceCount === undefined), {
    path: ["instanceRanges"],
    message: 'Give instance numbers (e.g. "1-100") or an instance count, not both.',
  })
  .superRefine(
    (t, ctx) => {
      // The service's own checks (instances, the profile's constants) join the schema's, so that every problem shows at once.
      const refused = new Set(ctx.issues.map((i) => String(i.path?.[0] ?? "")));
      const raw = t as Partial<Record<keyof typeof t, unknown>>;
      const problems = taskInputProblems({
        profileName: typeof raw.profile === "string" ? raw.profile : "",
        instanceRanges: typeof raw.instanceRanges === "string" ? raw.instanceRanges : undefined,
        instanceCount: typeof raw.instanceCount === "number" ? raw.instanceCount : undefined,
        constants: refused.has("constants") ? {} : (raw.constants as Record<string, string> | undefined),
      });
      for (const [field, message] of Object.entries(problems)) {
        if (!refused.has(field)) ctx.addIssue({ code: "custom", path: field.split("."), message });
      }
    },
    { when: () => true },
  );

/** Compute customers: their tasks, jobs, results, notifications and API keys; every call is scoped to `ctx.organizationId`. */
export const computeRouter = createTRPCRouter({
  /** What a task can run. Donated research is the operator's own work, not offered to customers. */
  profiles: customerProcedure.query(({ ctx }) => customerProfiles(ctx.db)),

  submitTask: customerProcedure
    .input(SUBMIT_TASK_INPUT)
    .mutation(async ({ ctx, input }) => {
      const task = await createTask(ctx.db, {
        organizationId: ctx.organizationId,
        profileName: input.profile,
        name: input.name,
        shortname: input.shortname,
        instanceRanges: input.instanceRanges,
        instanceCount: input.instanceCount,
        constants: input.constants,
        tags: input.tags,
        schedulingType: input.schedulingType,
        minCores: input.minCores,
        minRamGb: input.minRamGb,
        maxWallTimeS: input.maxWallTimeS,
        maxRetriesPerInstance: input.maxRetriesPerInstance,
        jobId: input.jobId,
        dependsOnTaskIds: input.dependsOnTaskIds,
      });
      return { id: task.id };
    }),

  tasks: customerProcedure
    .input(
      z.object({
        ...paging,
        state: z.enum(TASK_STATES).optional(),
        tag: TAG.optional(),
        profile: PROFILE.optional(),
        createdFrom: z.coerce.date().optional(),
        createdTo: z.coerce.date().optional(),
        search: noControlCharacters(z.string().trim().max(LIMITS.maxSearchChars, atMost(LIMITS.maxSearchChars))).optional(),
        jobId: z.uuid("Not a job id.").optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { page, pageSize, ...filter } = input;
      return listTasks(ctx.db, { organizationId: ctx.organizationId, filter, page, pageSize });
    }),

  /** The account's tasks by state, for the overview. */
  taskCounts: customerProcedure.query(({ ctx }) => countTasksByState(ctx.db, { organizationId: ctx.organizationId })),

  task: customerProcedure.input(z.object(taskRef)).query(async ({ ctx, input }) => {
    const scope = { organizationId: ctx.organizationId, taskId: input.taskId };
    const now = new Date();
    const [detail, standing] = await Promise.all([getTask(ctx.db, { ...scope, now }), queueStanding(ctx.db, { ...scope, now })]);
    return { ...found(detail, "Task"), standing };
  }),

  instances: customerProcedure
    .input(
      z.object({
        ...taskRef,
        ...paging,
        state: z.enum(INSTANCE_STATES).optional(),
        instanceNumber: INSTANCE_NUMBER.optional(),
      }),
    )
    .query(async ({ ctx, input }) =>
      found(await listInstances(ctx.db, { organizationId: ctx.organizationId, ...input }), "Task"),
    ),

  /** The grid's states, run-length encoded; with `since`, the version the reader holds, only whether it changed when it did not. */
  instanceGrid: customerProcedure
    .input(z.object({ ...taskRef, since: z.string().max(40).optional() }))
    .query(async ({ ctx, input }) => found(await instanceGrid(ctx.db, { organizationId: ctx.organizationId, ...input }), "Task")),

  /**
   * A page of a log, at most MAX_LOG_PAGE_BYTES of text. Without a cursor, the end of the log;
   * `cursor` then reads on forward (direction "forward", as infinite queries send it), `earlier`
   * (when older output exists) reads back with direction "backward".
   */
  logs: customerProcedure
    .input(
      z.object({
        ...taskRef,
        stream: z.enum(["stdout", "stderr"]).default("stdout"),
        instanceNumber: INSTANCE_NUMBER.optional(),
        /** The cursor a previous read returned; named `cursor` so that clients can page it as an infinite query. */
        cursor: z.string().regex(LOG_CURSOR_PATTERN, "a log cursor, as a previous read returned it").nullish(),
        direction: z.enum(["forward", "backward"]).default("forward"),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { cursor, direction, ...scope } = input;
      const from = cursor ? (direction === "backward" ? { before: parseLogCursor(cursor) } : { after: parseLogCursor(cursor) }) : {};
      const page = found(await readLogs(ctx.db, { organizationId: ctx.organizationId, ...scope, ...from }), "Task");
      return { chunks: page.chunks, cursor: formatLogCursor(page.cursor), more: page.more, earlier: page.earlier && formatLogCursor(page.earlier) };
    }),

  /** A page of the task's output files, with how many there are. */
  outputs: customerProcedure
    .input(z.object({ ...taskRef, ...paging }))
    .query(async ({ ctx, input }) => found(await outputsPage(ctx.db, { organizationId: ctx.organizationId, ...input }), "Task")),

  result: customerProcedure
    .input(z.object(taskRef))
    .query(async ({ ctx, input }) => found(await taskResult(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId }), "Task")),

  /** `cancelled: false` when the task had already ended or was being cancelled. */
  cancelTask: customerProcedure.input(z.object(taskRef)).mutation(async ({ ctx, input }) => {
    const scope = { organizationId: ctx.organizationId, taskId: input.taskId };
    if (await cancelTask(ctx.db, { ...scope, now: new Date() })) return { cancelled: true };
    if (!(await taskExists(ctx.db, scope))) throw new NotFoundError("Task");
    return { cancelled: false };
  }),

  /** How many of the instances were cancelled (those already ended are left as they are). */
  cancelInstances: customerProcedure
    .input(z.object({ ...taskRef, instanceNumbers: z.array(INSTANCE_NUMBER).min(1, "Give at least one instance.").max(LIMITS.maxInstancesPerTask, atMost(LIMITS.maxInstancesPerTask, "instances")) }))
    .mutation(async ({ ctx, input }) =>
      found(await cancelInstances(ctx.db, { organizationId: ctx.organizationId, ...input, now: new Date() }), "Task"),
    ),

  /** How many failed instances were queued again. */
  rerunFailed: customerProcedure
    .input(z.object(taskRef))
    .mutation(async ({ ctx, input }) =>
      found(await rerunFailedInstances(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId, now: new Date() }), "Task"),
    ),

  job: customerProcedure
    .input(z.object({ jobId: z.string().max(100) }))
    .query(async ({ ctx, input }) => found(await getJob(ctx.db, { organizationId: ctx.organizationId, jobId: input.jobId }), "Job")),

  jobs: customerProcedure
    .input(z.object(paging))
    .query(({ ctx, input }) => listJobs(ctx.db, { organizationId: ctx.organizationId, ...input })),

  createJob: customerProcedure
    .input(
      z.object({
        name: NAME("Name the job."),
        shortname: SHORTNAME.optional(),
        useDependencies: z.boolean().default(false),
        maxWallTimeS: WALL_TIME_S.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createJob(ctx.db, { organizationId: ctx.organizationId, ...input })),

  notifications: customerProcedure
    .input(z.object({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listNotifications(ctx.db, { organizationId: ctx.organizationId, ...input })),

  /** Marks the given notifications read, or all when `ids` is omitted. */
  markNotificationsRead: customerProcedure
    .input(z.object({ ids: z.array(z.number().int().min(1)).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => ({
      marked: await markNotificationsRead(ctx.db, { organizationId: ctx.organizationId, ids: input.ids, now: new Date() }),
    })),

  apiKeys: customerProcedure.query(({ ctx }) => listApiKeys(ctx.db, { organizationId: ctx.organizationId })),

  /** The key is in this answer only; the platform keeps its hash. */
  createApiKey: customerProcedure
    .input(z.object({ name: noControlCharacters(z.string().trim().min(1, "Name the key.").max(100, "At most 100 characters.")) }))
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.db, { organizationId: ctx.organizationId, userId: ctx.user.id, name: input.name }),
    ),

  revokeApiKey: customerProcedure.input(z.object({ id: z.uuid("Not a key id.") })).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiKey(ctx.db, { organizationId: ctx.organizationId, id: input.id, now: new Date() }))) throw new NotFoundError("API key");
    return { revoked: true };
  }),
});
