import { bigint, customType, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tasks, xid8 } from "./compute";
import { organizations, users } from "./tenancy";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * Keys for the REST API. Only SHA-256 of the key is kept: keys are long random strings, so a
 * fast hash is enough. `displayPrefix` lets people tell their keys apart in lists.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    displayPrefix: text("display_prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_organization_idx").on(t.organizationId, t.createdAt)],
);

/** Per-customer limits. A missing row means the platform defaults. */
export const customerQuotas = pgTable("customer_quotas", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  /** Instances not yet ended (waiting, queued, dispatched, running) the customer may have at once. */
  maxActiveInstances: integer("max_active_instances").notNull(),
});

export const notificationKind = pgEnum("notification_kind", ["task_succeeded", "task_failed", "task_cancelled", "budget_reached"]);

/**
 * In-app notifications, shared by everyone in the customer organization: a task's end (with its
 * task), or the month's charges reaching the monthly budget (with its billing month, once per
 * organization and month: unique).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** The billing month ("YYYY-MM", Europe/Paris) a budget notice is about; null for a task's. */
    billingMonth: text("billing_month"),
  },
  (t) => [
    index("notifications_organization_idx").on(t.organizationId, t.createdAt, t.id),
    // Notices about a month: one per organization, kind and month.
    uniqueIndex("notifications_billing_month_idx").on(t.organizationId, t.kind, t.billingMonth).where(sql`${t.billingMonth} is not null`),
  ],
);

/**
 * E-mail to send. With SMTP configured a sender delivers and stamps `sentAt`; without it (the
 * demo) messages stay here for staff to read.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("email_outbox_pending_idx").on(t.createdAt)],
);

/**
 * Where a reader of "fresh" output got to: the last log chunk id returned, per task, stream and
 * scope ("task" for all instances, or "instance:<number>").
 */
export const logReadCursors = pgTable(
  "log_read_cursors",
  {
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    stream: text("stream").notNull(),
    scope: text("scope").notNull(),
    /** The last chunk read: (instance_logs.xact_id, id). */
    lastXactId: xid8("last_xact_id").notNull().default("0"),
    lastLogId: bigint("last_log_id", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.stream, t.scope] })],
);

/** Consolidated results computed from a task's outputs (a render's contact sheet), kept once built. */
export const taskArtifacts = pgTable(
  "task_artifacts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    content: bytea("content").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** The number of outputs it was built from: a stale artifact is rebuilt when more arrive. */
    builtFromOutputs: integer("built_from_outputs").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("task_artifacts_name_idx").on(t.taskId, t.name)],
);
