import { TRPCError } from "@trpc/server";
import { z, ZodRealError } from "zod";
import { INSTANCE_STATES, TASK_STATES } from "@/server/domain/task-state";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { listNotifications, markNotificationsRead } from "@/server/services/notifications";
import { formatLogCursor, LOG_CURSOR_PATTERN, parseLogCursor, readLogs } from "@/server/services/task-logs";
import { listOutputs, taskResult } from "@/server/services/task-outputs";
import { countTasksByState, getTask, instanceGrid, listInstances, listTasks, queueStanding, taskExists } from "@/server/services/task-queries";
import {
  cancelInstances,
  cancelTask,
  createJob,
  createTask,
  customerProfiles,
  listJobs,
  MAX_INSTANCE_NUMBER,
  MAX_INSTANCES_PER_TASK,
  QuotaExceededError,
  rerunFailedInstances,
  TaskConflictError,
  TaskInputError,
} from "@/server/services/tasks";
import { createTRPCRouter, customerProcedure } from "../trpc";


const SHORTNAME = z
  .string()
  .trim()
  .min(1)
  .max(100, "At most 100 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "Use letters, digits, dots, dashes and underscores.");

const paging = {
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
};

const taskRef = { taskId: z.uuid("Not a task id.") };

/**
 * Refusals of the services as tRPC errors: bad input as BAD_REQUEST with its field (a ZodError
 * cause, so it reaches forms as `fieldErrors` like any other validation message), a quota as
 * FORBIDDEN and a state that refuses the operation as CONFLICT, each with its message.
 */
async function refusals<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof TaskInputError) {
      // ZodRealError: the ZodError that is an Error, so tRPC keeps it as the cause.
      const cause = new ZodRealError([{ code: "custom", path: error.field.split("."), message: error.message, input: undefined }]);
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause });
    }
    if (error instanceof QuotaExceededError) throw new TRPCError({ code: "FORBIDDEN", message: error.message });
    if (error instanceof TaskConflictError) throw new TRPCError({ code: "CONFLICT", message: error.message });
    throw error;
  }
}

/** A missing record and another organization's read the same. */
function notFoundUnless(exists: boolean, what: string) {
  if (!exists) throw new TRPCError({ code: "NOT_FOUND", message: `${what} not found.` });
}

function found<T>(value: T | null, what: string): T {
  notFoundUnless(value !== null, what);
  return value!;
}

/** Compute customers: their tasks, jobs, results, notifications and API keys; every call is scoped to `ctx.organizationId`. */
export const computeRouter = createTRPCRouter({
  /** What a task can run. Donated research is the operator's own work, not offered to customers. */
  profiles: customerProcedure.query(({ ctx }) => customerProfiles(ctx.db)),

  submitTask: customerProcedure
    .input(
      z
        .object({
          profile: z.string().trim().min(1, "Choose a profile.").max(100),
          name: z.string().trim().min(1, "Name the task.").max(200, "At most 200 characters."),
          shortname: SHORTNAME.optional(),
          instanceRanges: z.string().trim().max(10_000).optional(),
          instanceCount: z.number().int().min(1, "At least one instance.").max(MAX_INSTANCES_PER_TASK).optional(),
          constants: z.record(z.string().trim().min(1).max(200), z.string().max(10_000)).default({}),
          tags: z.array(z.string().trim().min(1).max(64)).max(32, "At most 32 tags.").default([]),
          schedulingType: z.enum(["Flex", "OnDemand", "Reserved"]).default("Flex"),
          minCores: z.number().int().min(1).max(512).optional(),
          minRamGb: z.number().int().min(1).max(4096).optional(),
          maxWallTimeS: z.number().int().min(1).max(30 * 86_400, "At most 30 days.").optional(),
          maxRetriesPerInstance: z.number().int().min(0).max(10, "At most 10 retries.").optional(),
          jobId: z.uuid("Not a job id.").optional(),
          dependsOnTaskIds: z.array(z.uuid("Not a task id.")).max(100).default([]),
        })
        .refine((t) => (t.instanceRanges === undefined) !== (t.instanceCount === undefined), {
          path: ["instanceRanges"],
          message: 'Give instance numbers (e.g. "1-100") or an instance count, not both.',
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const task = await refusals(
        createTask(ctx.db, {
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
        }),
      );
      return { id: task.id };
    }),

  tasks: customerProcedure
    .input(
      z.object({
        ...paging,
        state: z.enum(TASK_STATES).optional(),
        tag: z.string().trim().min(1).max(64).optional(),
        profile: z.string().trim().min(1).max(100).optional(),
        createdFrom: z.coerce.date().optional(),
        createdTo: z.coerce.date().optional(),
        search: z.string().trim().max(100).optional(),
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
        instanceNumber: z.number().int().min(0).max(MAX_INSTANCE_NUMBER).optional(),
      }),
    )
    .query(async ({ ctx, input }) =>
      found(await listInstances(ctx.db, { organizationId: ctx.organizationId, ...input }), "Task"),
    ),

  instanceGrid: customerProcedure
    .input(z.object(taskRef))
    .query(async ({ ctx, input }) => found(await instanceGrid(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId }), "Task")),

  logs: customerProcedure
    .input(
      z.object({
        ...taskRef,
        stream: z.enum(["stdout", "stderr"]).default("stdout"),
        instanceNumber: z.number().int().min(0).max(MAX_INSTANCE_NUMBER).optional(),
        /** The cursor a previous read returned. */
        after: z.string().regex(LOG_CURSOR_PATTERN, "a log cursor, as a previous read returned it").optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = found(
        await readLogs(ctx.db, { organizationId: ctx.organizationId, ...input, after: parseLogCursor(input.after) }),
        "Task",
      );
      return { chunks: page.chunks, cursor: formatLogCursor(page.cursor), more: page.more };
    }),

  outputs: customerProcedure
    .input(z.object(taskRef))
    .query(async ({ ctx, input }) => found(await listOutputs(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId }), "Task")),

  result: customerProcedure
    .input(z.object(taskRef))
    .query(async ({ ctx, input }) => found(await taskResult(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId }), "Task")),

  /** `cancelled: false` when the task had already ended or was being cancelled. */
  cancelTask: customerProcedure.input(z.object(taskRef)).mutation(async ({ ctx, input }) => {
    const scope = { organizationId: ctx.organizationId, taskId: input.taskId };
    if (await cancelTask(ctx.db, { ...scope, now: new Date() })) return { cancelled: true };
    notFoundUnless(await taskExists(ctx.db, scope), "Task");
    return { cancelled: false };
  }),

  /** How many of the instances were cancelled (those already ended are left as they are). */
  cancelInstances: customerProcedure
    .input(z.object({ ...taskRef, instanceNumbers: z.array(z.number().int().min(0).max(MAX_INSTANCE_NUMBER)).min(1).max(MAX_INSTANCES_PER_TASK) }))
    .mutation(async ({ ctx, input }) =>
      found(await cancelInstances(ctx.db, { organizationId: ctx.organizationId, ...input, now: new Date() }), "Task"),
    ),

  /** How many failed instances were queued again. */
  rerunFailed: customerProcedure
    .input(z.object(taskRef))
    .mutation(async ({ ctx, input }) =>
      found(await refusals(rerunFailedInstances(ctx.db, { organizationId: ctx.organizationId, taskId: input.taskId, now: new Date() })), "Task"),
    ),

  jobs: customerProcedure
    .input(z.object(paging))
    .query(({ ctx, input }) => listJobs(ctx.db, { organizationId: ctx.organizationId, ...input })),

  createJob: customerProcedure
    .input(
      z.object({
        name: z.string().trim().min(1, "Name the job.").max(200, "At most 200 characters."),
        shortname: SHORTNAME.optional(),
        useDependencies: z.boolean().default(false),
        maxWallTimeS: z.number().int().min(1).max(30 * 86_400, "At most 30 days.").optional(),
      }),
    )
    .mutation(({ ctx, input }) => refusals(createJob(ctx.db, { organizationId: ctx.organizationId, ...input }))),

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
    .input(z.object({ name: z.string().trim().min(1, "Name the key.").max(100, "At most 100 characters.") }))
    .mutation(({ ctx, input }) =>
      refusals(createApiKey(ctx.db, { organizationId: ctx.organizationId, userId: ctx.user.id, name: input.name })),
    ),

  revokeApiKey: customerProcedure.input(z.object({ id: z.uuid("Not a key id.") })).mutation(async ({ ctx, input }) => {
    notFoundUnless(await revokeApiKey(ctx.db, { organizationId: ctx.organizationId, id: input.id, now: new Date() }), "API key");
    return { revoked: true };
  }),
});
