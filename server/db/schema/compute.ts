import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { radiators } from "./fleet";
import { ATTEMPT_STATES, INSTANCE_STATES, SCHEDULING_TYPES } from "@/server/domain/task-state";
import { organizations } from "./tenancy";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
/** A 64-bit transaction id, as text: log readers order by it to see chunks in commit order. */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

export const schedulingType = pgEnum("scheduling_type", SCHEDULING_TYPES);
export const instanceState = pgEnum("instance_state", INSTANCE_STATES);
export const attemptState = pgEnum("attempt_state", ATTEMPT_STATES);

export const logStream = pgEnum("log_stream", ["stdout", "stderr"]);
export const jobState = pgEnum("job_state", ["Active", "Terminated", "Completed"]);

/** What a task runs: built-in computations, or containers on nodes that offer a runtime. */
export const profiles = pgTable("profiles", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  description: text("description").notNull(),
  /** What a node must offer to run an instance of this profile. */
  coresPerInstance: smallint("cores_per_instance").notNull().default(1),
  minRamGb: integer("min_ram_gb").notNull().default(1),
  requiresContainerRuntime: boolean("requires_container_runtime").notNull().default(false),
  /** For estimates: core-seconds one instance needs on a reference core. */
  expectedCoreSecondsPerInstance: integer("expected_core_seconds_per_instance").notNull(),
});

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    shortname: text("shortname"),
    state: jobState("state").notNull().default("Active"),
    useDependencies: boolean("use_dependencies").notNull().default(false),
    maxWallTimeS: integer("max_wall_time_s"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_organization_idx").on(t.organizationId, t.createdAt),
    uniqueIndex("jobs_shortname_idx").on(t.organizationId, t.shortname),
  ],
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "restrict" }),
    profileId: uuid("profile_id")
      .notNull()
      .references(() => profiles.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    /** Qarnot's optional unique short name per account; the API shows the id when it is unset. */
    shortname: text("shortname"),
    constants: jsonb("constants").$type<Record<string, string>>().notNull().default({}),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** The instance numbers as submitted, e.g. "1-100,200". */
    instanceRanges: text("instance_ranges").notNull(),
    instanceCount: integer("instance_count").notNull(),
    schedulingType: schedulingType("scheduling_type").notNull().default("Flex"),
    /** Research work given the heat that no customer buys. */
    donated: boolean("donated").notNull().default(false),
    coresPerInstance: smallint("cores_per_instance").notNull(),
    /** Hardware constraints: the radiator's total cores and memory. */
    minCores: smallint("min_cores").notNull().default(1),
    minRamGb: integer("min_ram_gb").notNull().default(1),
    requiresContainerRuntime: boolean("requires_container_runtime").notNull().default(false),
    maxWallTimeS: integer("max_wall_time_s"),
    /** Attempts allowed per instance: 1 + retries. */
    maxAttemptsPerInstance: smallint("max_attempts_per_instance").notNull().default(3),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("tasks_organization_idx").on(t.organizationId, t.createdAt),
    index("tasks_job_idx").on(t.jobId),
    uniqueIndex("tasks_shortname_idx").on(t.organizationId, t.shortname),
  ],
);

/** Task B runs only after task A succeeded (within a job that uses dependencies). */
export const taskDependencies = pgTable(
  "task_dependencies",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    dependsOnTaskId: uuid("depends_on_task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.dependsOnTaskId] })],
);

/**
 * One instance of a task. Scheduling fields are copied from the task so that the dispatcher
 * reads one table.
 */
export const instances = pgTable(
  "instances",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id").notNull(),
    instanceNumber: integer("instance_number").notNull(),
    priorityClass: smallint("priority_class").notNull(),
    coresNeeded: smallint("cores_needed").notNull(),
    minCores: smallint("min_cores").notNull(),
    minRamGb: integer("min_ram_gb").notNull(),
    requiresContainerRuntime: boolean("requires_container_runtime").notNull(),
    state: instanceState("state").notNull(),
    radiatorId: uuid("radiator_id").references(() => radiators.id, { onDelete: "restrict" }),
    attemptCount: smallint("attempt_count").notNull().default(0),
    maxAttempts: smallint("max_attempts").notNull(),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    progressPct: real("progress_pct"),
    exitCode: integer("exit_code"),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("instances_task_number_idx").on(t.taskId, t.instanceNumber),
    // The dispatcher's queue: only queued rows, in the order they are served.
    index("instances_queue_idx")
      .on(t.priorityClass, t.organizationId, t.queuedAt, t.id)
      .where(sql`${t.state} = 'queued'`),
    index("instances_radiator_active_idx")
      .on(t.radiatorId)
      .where(sql`${t.state} in ('dispatched', 'running')`),
  ],
);

/** Each time an instance is sent to a radiator. Energy and core-seconds are metered per attempt. */
export const instanceAttempts = pgTable(
  "instance_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    instanceId: bigint("instance_id", { mode: "number" })
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    radiatorId: uuid("radiator_id")
      .notNull()
      .references(() => radiators.id, { onDelete: "restrict" }),
    attemptNumber: smallint("attempt_number").notNull(),
    coresAssigned: smallint("cores_assigned").notNull(),
    state: attemptState("state").notNull().default("dispatched"),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** Answers that offered the attempt to its gateway while it was not started. */
    offerCount: smallint("offer_count").notNull().default(0),
    exitCode: integer("exit_code"),
    coreSeconds: bigint("core_seconds", { mode: "number" }).notNull().default(0),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull().default(0),
    /** False for lost attempts (a silent radiator, a reboot, never started): the customer does not pay for them. */
    billable: boolean("billable").notNull().default(true),
  },
  (t) => [
    index("instance_attempts_instance_idx").on(t.instanceId),
    // Metering looks up the attempts that ran on a radiator during an interval, ended ones included.
    index("instance_attempts_radiator_ended_idx").on(t.radiatorId, t.endedAt),
    index("instance_attempts_radiator_active_idx")
      .on(t.radiatorId)
      .where(sql`${t.state} in ('dispatched', 'running')`),
  ],
);

/** Log chunks, readable while the instance runs; `chunkSeq` makes a re-sent chunk a no-op. */
export const instanceLogs = pgTable(
  "instance_logs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    instanceId: bigint("instance_id", { mode: "number" })
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    attemptId: bigint("attempt_id", { mode: "number" })
      .notNull()
      .references(() => instanceAttempts.id, { onDelete: "cascade" }),
    stream: logStream("stream").notNull(),
    chunkSeq: integer("chunk_seq").notNull(),
    content: text("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The transaction that wrote the chunk. Ids are handed out before commit, so two reports can
     * commit out of id order; readers page by (xactId, id) up to the oldest transaction still
     * running, and so never step over a chunk that commits later.
     */
    xactId: xid8("xact_id")
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [
    uniqueIndex("instance_logs_chunk_idx").on(t.attemptId, t.stream, t.chunkSeq),
    index("instance_logs_instance_idx").on(t.instanceId, t.xactId, t.id),
  ],
);

export const instanceOutputs = pgTable(
  "instance_outputs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    instanceId: bigint("instance_id", { mode: "number" })
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    attemptId: bigint("attempt_id", { mode: "number" })
      .notNull()
      .references(() => instanceAttempts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    content: bytea("content").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("instance_outputs_name_idx").on(t.attemptId, t.name)],
);
