import { sql } from "drizzle-orm";
import { createTransport, type SendMailOptions } from "nodemailer";
import { pgArray } from "@/server/db/sql-params";
import { deriveTaskState } from "@/server/domain/task-state";
import type { Tx } from "@/server/db/client";

/**
 * Telling customers that their work ended: an in-app notification for the organization, and an
 * e-mail per customer user through an outbox that a sender drains when SMTP is configured. The
 * charge that takes a month to its budget tells them the same way (billing.ts, budget_reached).
 */

export type NotificationKind = "task_succeeded" | "task_failed" | "task_cancelled" | "budget_reached";

const KIND_BY_STATE = { Success: "task_succeeded", Failure: "task_failed", Cancelled: "task_cancelled" } as const;

/** After this many failed sends a message stays in the outbox for staff to look at. */
export const MAX_EMAIL_ATTEMPTS = 5;
const EMAIL_BATCH_SIZE = 20;

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** A task name as a one-line title: no control characters in a subject line. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

function describeEnding(
  kind: (typeof KIND_BY_STATE)[keyof typeof KIND_BY_STATE],
  name: string,
  counts: { total: number; succeeded: number; failed: number; cancelled: number },
) {
  const { total, succeeded, failed, cancelled } = counts;
  switch (kind) {
    case "task_succeeded":
      return { title: `Task "${name}" succeeded`, body: total === 1 ? "Its instance succeeded." : `All ${plural(total, "instance")} succeeded.` };
    case "task_failed":
      return {
        title: `Task "${name}" failed`,
        body:
          `${failed.toLocaleString("en-US")} of ${plural(total, "instance")} failed, ${succeeded.toLocaleString("en-US")} succeeded` +
          (cancelled > 0 ? `, ${cancelled.toLocaleString("en-US")} were cancelled` : "") +
          ". You can rerun only the failed ones.",
      };
    case "task_cancelled":
      return {
        title: `Task "${name}" was cancelled`,
        body: `${succeeded.toLocaleString("en-US")} of ${plural(total, "instance")} had succeeded before it was cancelled.`,
      };
  }
}

/**
 * Called by settleTask, in its transaction, when a task has just ended. Donated research (run by
 * the operator, not a customer) notifies nobody.
 */
export async function notifyTaskEnded(tx: Tx, opts: { taskId: string; now: Date }) {
  const [task] = await tx.execute<{
    organization_id: string;
    name: string;
    cancel_requested: boolean;
    is_customer: boolean;
    total: number;
    succeeded: number;
    failed: number;
    cancelled: number;
  }>(sql`
    select t.organization_id, t.name, t.cancel_requested_at is not null as cancel_requested, o.kind = 'customer' as is_customer,
      count(i.id)::int as total,
      (count(*) filter (where i.state = 'succeeded'))::int as succeeded,
      (count(*) filter (where i.state = 'failed'))::int as failed,
      (count(*) filter (where i.state = 'cancelled'))::int as cancelled
    from tasks t join organizations o on o.id = t.organization_id left join instances i on i.task_id = t.id
    where t.id = ${opts.taskId}
    group by t.id, o.kind`);
  if (!task || !task.is_customer) return;
  const state = deriveTaskState(
    { waiting: 0, queued: 0, dispatched: 0, running: 0, succeeded: task.succeeded, failed: task.failed, cancelled: task.cancelled },
    task.cancel_requested,
  );
  if (state !== "Success" && state !== "Failure" && state !== "Cancelled") return;
  const kind = KIND_BY_STATE[state];
  const { title, body } = describeEnding(kind, oneLine(task.name), task);
  const now = opts.now.toISOString();
  await tx.execute(sql`
    insert into notifications (organization_id, task_id, kind, title, body, created_at)
    values (${task.organization_id}, ${opts.taskId}, ${kind}, ${title}, ${body}, ${now})`);
  const emailBody = `${body}\n\nTask: ${oneLine(task.name)} (${opts.taskId})\nSee it in Hearth, under Compute → Tasks.\n\n— Hearth`;
  await tx.execute(sql`
    insert into email_outbox (to_address, subject, body_text, created_at)
    select u.email, ${title}, ${emailBody}, ${now} from users u
    where u.organization_id = ${task.organization_id} and u.role = 'customer'
    order by u.email`);
}

export type NotificationView = {
  id: number;
  taskId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
};

/**
 * The newest notifications of an organization, and how many are unread. Newest by when the task
 * ended (created_at), not by insertion order: tasks settle in batches, not in the order they ended.
 */
export async function listNotifications(
  db: Tx,
  opts: { organizationId: string; limit: number; unreadOnly?: boolean },
): Promise<{ unread: number; items: NotificationView[] }> {
  const limit = Math.min(200, Math.max(1, Math.floor(opts.limit)));
  const [rows, [count]] = await Promise.all([
    db.execute<{ id: string; task_id: string | null; kind: NotificationKind; title: string; body: string; created_at: string; read_at: string | null }>(sql`
      select id, task_id, kind, title, body, created_at, read_at from notifications
      where organization_id = ${opts.organizationId} ${opts.unreadOnly ? sql`and read_at is null` : sql``}
      order by created_at desc, id desc limit ${limit}`),
    db.execute<{ n: number }>(sql`
      select count(*)::int as n from notifications where organization_id = ${opts.organizationId} and read_at is null`),
  ]);
  return {
    unread: count!.n,
    items: rows.map((r) => ({
      id: Number(r.id),
      taskId: r.task_id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      createdAt: new Date(r.created_at),
      readAt: r.read_at ? new Date(r.read_at) : null,
    })),
  };
}

/** Marks the given notifications (all when `ids` is omitted) of the organization read; returns how many changed. */
export async function markNotificationsRead(db: Tx, opts: { organizationId: string; ids?: number[]; now: Date }): Promise<number> {
  const ids = opts.ids?.filter((id) => Number.isSafeInteger(id) && id > 0);
  if (ids && ids.length === 0) return 0;
  const marked = await db.execute<{ id: string }>(sql`
    update notifications set read_at = ${opts.now.toISOString()}
    where organization_id = ${opts.organizationId} and read_at is null
      ${ids ? sql`and id = any(${pgArray(ids)}::bigint[])` : sql``}
    returning id`);
  return marked.length;
}

export type MailTransport = { sendMail(message: SendMailOptions): Promise<unknown> };

let smtpTransport: { url: string; transport: MailTransport } | undefined;

/** The SMTP transport of SMTP_URL (e.g. smtps://user:pass@mail.example.com), or null when it is not set. */
function configuredTransport(): MailTransport | null {
  const url = process.env.SMTP_URL;
  if (!url) return null;
  if (smtpTransport?.url !== url) smtpTransport = { url, transport: createTransport(url) };
  return smtpTransport.transport;
}

/**
 * Sends a batch of pending outbox messages and stamps each sent one. Without a transport (no
 * SMTP_URL) it does nothing: messages stay in the outbox for staff to read. Rows are taken with
 * SKIP LOCKED, so several engine processes may call it at once without sending twice.
 */
export async function sendPendingEmail(
  db: Tx,
  opts: { transport?: MailTransport; from?: string; now?: Date } = {},
): Promise<{ sent: number; failed: number }> {
  const transport = opts.transport ?? configuredTransport();
  if (!transport) return { sent: 0, failed: 0 };
  const from = opts.from ?? process.env.SMTP_FROM ?? "Hearth <notifications@hearth.invalid>";
  return db.transaction(async (tx) => {
    const pending = await tx.execute<{ id: string; to_address: string; subject: string; body_text: string }>(sql`
      select id, to_address, subject, body_text from email_outbox
      where sent_at is null and attempts < ${MAX_EMAIL_ATTEMPTS}
      order by created_at, id limit ${EMAIL_BATCH_SIZE}
      for update skip locked`);
    let sent = 0;
    for (const message of pending) {
      try {
        await transport.sendMail({ from, to: message.to_address, subject: message.subject, text: message.body_text });
        await tx.execute(sql`
          update email_outbox set sent_at = ${(opts.now ?? new Date()).toISOString()}, attempts = attempts + 1, last_error = null
          where id = ${message.id}`);
        sent += 1;
      } catch (error) {
        await tx.execute(sql`
          update email_outbox set attempts = attempts + 1, last_error = ${error instanceof Error ? error.message : String(error)}
          where id = ${message.id}`);
      }
    }
    return { sent, failed: pending.length - sent };
  });
}
