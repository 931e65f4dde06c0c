import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { isUuid } from "./tasks";

/**
 * A task's stdout and stderr, as its instances' gateways sent them in chunks: readable while the
 * task runs (follow with the returned cursor) and after. Chunks of every attempt are kept,
 * retries included.
 *
 * Chunks are read in commit order, (transaction, id), and only those of transactions older than
 * every transaction still running: a chunk's id is handed out before its report commits, so a
 * reader paging by id alone could pass over a chunk whose report commits a moment later.
 */

export type LogStream = "stdout" | "stderr";

export type LogChunk = { id: number; instanceNumber: number; content: string; createdAt: Date };

/** Where a reader of a log is: after the chunk (xactId, logId). Sent to clients as "xactId-logId". */
export type LogCursor = { xactId: string; logId: number };

export const LOG_START: LogCursor = { xactId: "0", logId: 0 };
export const LOG_CURSOR_PATTERN = /^\d{1,20}-\d{1,15}$/;

export const formatLogCursor = (c: LogCursor) => `${c.xactId}-${c.logId}`;

/** The cursor a client sent back, or the start of the log for anything else. */
export function parseLogCursor(text: string | null | undefined): LogCursor {
  if (!text || !LOG_CURSOR_PATTERN.test(text)) return LOG_START;
  const [xactId, logId] = text.split("-");
  return { xactId: BigInt(xactId!).toString(), logId: Number(logId) };
}

export const DEFAULT_LOG_CHUNKS = 1000;
export const MAX_LOG_CHUNKS = 5000;

async function ownsTask(db: Tx, organizationId: string, taskId: string) {
  if (!isUuid(taskId)) return false;
  const [task] = await db.execute<{ id: string }>(sql`select id from tasks where id = ${taskId} and organization_id = ${organizationId}`);
  return Boolean(task);
}

/** Chunks after `after`, in commit order, the cursor after the last of them, and whether the page was full (more may wait). */
async function chunksAfter(
  db: Tx,
  opts: { taskId: string; stream: LogStream; instanceNumber?: number; after: LogCursor; limit: number },
): Promise<{ chunks: LogChunk[]; cursor: LogCursor; more: boolean }> {
  const rows = await db.execute<{ id: string; xact_id: string; instance_number: number; content: string; created_at: string }>(sql`
    select l.id, l.xact_id::text, i.instance_number, l.content, l.created_at
    from instance_logs l join instances i on i.id = l.instance_id
    where i.task_id = ${opts.taskId} and l.stream = ${opts.stream}
      and (l.xact_id, l.id) > (${opts.after.xactId}::xid8, ${opts.after.logId}::bigint)
      and l.xact_id < pg_snapshot_xmin(pg_current_snapshot())
      ${opts.instanceNumber === undefined ? sql`` : sql`and i.instance_number = ${opts.instanceNumber}`}
    order by l.xact_id, l.id
    limit ${opts.limit}`);
  const last = rows[rows.length - 1];
  return {
    chunks: rows.map((r) => ({ id: Number(r.id), instanceNumber: r.instance_number, content: r.content, createdAt: new Date(r.created_at) })),
    cursor: last ? { xactId: last.xact_id, logId: Number(last.id) } : opts.after,
    more: rows.length === opts.limit,
  };
}

/**
 * Log chunks of a task (or of one instance) after the cursor `after`; `cursor` is where to
 * continue from (unchanged when nothing new arrived). Null for no such task.
 */
export async function readLogs(
  db: Tx,
  opts: { organizationId: string; taskId: string; stream: LogStream; instanceNumber?: number; after?: LogCursor; limit?: number },
): Promise<{ chunks: LogChunk[]; cursor: LogCursor; more: boolean } | null> {
  if (!(await ownsTask(db, opts.organizationId, opts.taskId))) return null;
  const limit = Math.min(MAX_LOG_CHUNKS, Math.max(1, Math.floor(opts.limit ?? DEFAULT_LOG_CHUNKS)));
  return chunksAfter(db, { ...opts, after: opts.after ?? LOG_START, limit });
}

/**
 * The end of a task's log (or of one instance's): the last `maxChars` characters (UTF-16 code
 * units, as JavaScript counts them) of its text in commit order, or all of it when shorter. Only
 * the newest chunks that hold them are read, newest backwards, in one query that also checks the
 * task is the organization's. Null for no such task; `instanceFound` false when `instanceNumber`
 * names none of its instances.
 */
export async function readLogTail(
  db: Tx,
  opts: { organizationId: string; taskId: string; stream: LogStream; instanceNumber?: number; maxChars: number },
): Promise<{ text: string; instanceFound: boolean } | null> {
  if (!isUuid(opts.taskId)) return null;
  const instance = opts.instanceNumber === undefined ? sql`` : sql`and i.instance_number = ${opts.instanceNumber}`;
  // A chunk is needed while the newer chunks hold fewer than maxChars characters. PostgreSQL counts
  // code points, never more than UTF-16 units: the chunks kept hold at least the units answered.
  const [row] = await db.execute<{ instance_found: boolean; text: string | null }>(sql`
    with task as (select t.id from tasks t where t.id = ${opts.taskId} and t.organization_id = ${opts.organizationId}),
    chunks as (
      select l.xact_id, l.id, l.content,
        coalesce(sum(length(l.content)) over (order by l.xact_id desc, l.id desc rows between unbounded preceding and 1 preceding), 0) as newer_chars
      from task join instances i on i.task_id = task.id join instance_logs l on l.instance_id = i.id
      where l.stream = ${opts.stream} and l.xact_id < pg_snapshot_xmin(pg_current_snapshot()) ${instance}
    )
    select ${opts.instanceNumber === undefined ? sql`true` : sql`exists (select 1 from instances i where i.task_id = task.id ${instance})`} as instance_found,
      (select string_agg(content, '' order by xact_id, id) from chunks where newer_chars < ${opts.maxChars}) as text
    from task`);
  if (!row) return null;
  const text = row.text ?? "";
  return { text: text.length > opts.maxChars ? text.slice(text.length - opts.maxChars) : text, instanceFound: row.instance_found };
}

/**
 * Qarnot's "fresh" output: the text that arrived since the previous fresh read of the same task,
 * stream and scope (the whole task, or one instance), which moves the task's stored cursor on.
 * At most MAX_LOG_CHUNKS chunks per read; the rest comes with the next one. Null for no such task.
 */
export async function readFreshLogs(
  db: Tx,
  opts: { organizationId: string; taskId: string; stream: LogStream; instanceNumber?: number },
): Promise<{ text: string } | null> {
  if (!(await ownsTask(db, opts.organizationId, opts.taskId))) return null;
  const scope = opts.instanceNumber === undefined ? "task" : `instance:${opts.instanceNumber}`;
  return db.transaction(async (tx) => {
    // The cursor row is locked: two fresh reads at once get disjoint text.
    await tx.execute(sql`
      insert into log_read_cursors (task_id, stream, scope, last_log_id) values (${opts.taskId}, ${opts.stream}, ${scope}, 0)
      on conflict do nothing`);
    const [stored] = await tx.execute<{ last_xact_id: string; last_log_id: string }>(sql`
      select last_xact_id::text, last_log_id from log_read_cursors
      where task_id = ${opts.taskId} and stream = ${opts.stream} and scope = ${scope} for update`);
    const after = { xactId: stored!.last_xact_id, logId: Number(stored!.last_log_id) };
    const { chunks, cursor } = await chunksAfter(tx, { ...opts, after, limit: MAX_LOG_CHUNKS });
    if (chunks.length > 0) {
      await tx.execute(sql`
        update log_read_cursors set last_xact_id = ${cursor.xactId}::xid8, last_log_id = ${cursor.logId}
        where task_id = ${opts.taskId} and stream = ${opts.stream} and scope = ${scope}`);
    }
    return { text: chunks.map((c) => c.content).join("") };
  });
}
