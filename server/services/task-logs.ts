import { sql } from "drizzle-orm";
import type { Tx } from "./scheduler";
import { isUuid } from "./tasks";

/**
 * A task's stdout and stderr, as its instances' gateways sent them in chunks: readable while the
 * task runs (follow with `afterLogId`) and after. Chunks of every attempt are kept, retries included.
 */

export type LogStream = "stdout" | "stderr";

export type LogChunk = { id: number; instanceNumber: number; content: string; createdAt: Date };

export const DEFAULT_LOG_CHUNKS = 1000;
export const MAX_LOG_CHUNKS = 5000;

async function ownsTask(db: Tx, organizationId: string, taskId: string) {
  if (!isUuid(taskId)) return false;
  const [task] = await db.execute<{ id: string }>(sql`select id from tasks where id = ${taskId} and organization_id = ${organizationId}`);
  return Boolean(task);
}

/** Chunks after `afterLogId`, in the order they arrived. */
async function chunksAfter(
  db: Tx,
  opts: { taskId: string; stream: LogStream; instanceNumber?: number; afterLogId: number; limit: number },
): Promise<LogChunk[]> {
  const rows = await db.execute<{ id: string; instance_number: number; content: string; created_at: string }>(sql`
    select l.id, i.instance_number, l.content, l.created_at
    from instance_logs l join instances i on i.id = l.instance_id
    where i.task_id = ${opts.taskId} and l.stream = ${opts.stream} and l.id > ${opts.afterLogId}
      ${opts.instanceNumber === undefined ? sql`` : sql`and i.instance_number = ${opts.instanceNumber}`}
    order by l.id
    limit ${opts.limit}`);
  return rows.map((r) => ({ id: Number(r.id), instanceNumber: r.instance_number, content: r.content, createdAt: new Date(r.created_at) }));
}

/**
 * Log chunks of a task (or of one instance) after `afterLogId`; `lastLogId` is where to continue
 * from (unchanged when nothing new arrived). Null for no such task.
 */
export async function readLogs(
  db: Tx,
  opts: { organizationId: string; taskId: string; stream: LogStream; instanceNumber?: number; afterLogId?: number; limit?: number },
): Promise<{ chunks: LogChunk[]; lastLogId: number } | null> {
  if (!(await ownsTask(db, opts.organizationId, opts.taskId))) return null;
  const afterLogId = Math.max(0, Math.floor(opts.afterLogId ?? 0));
  const limit = Math.min(MAX_LOG_CHUNKS, Math.max(1, Math.floor(opts.limit ?? DEFAULT_LOG_CHUNKS)));
  const chunks = await chunksAfter(db, { ...opts, afterLogId, limit });
  return { chunks, lastLogId: chunks.length > 0 ? chunks[chunks.length - 1]!.id : afterLogId };
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
    const [cursor] = await tx.execute<{ last_log_id: string }>(sql`
      select last_log_id from log_read_cursors
      where task_id = ${opts.taskId} and stream = ${opts.stream} and scope = ${scope} for update`);
    const chunks = await chunksAfter(tx, { ...opts, afterLogId: Number(cursor!.last_log_id), limit: MAX_LOG_CHUNKS });
    if (chunks.length > 0) {
      await tx.execute(sql`
        update log_read_cursors set last_log_id = ${chunks[chunks.length - 1]!.id}
        where task_id = ${opts.taskId} and stream = ${opts.stream} and scope = ${scope}`);
    }
    return { text: chunks.map((c) => c.content).join("") };
  });
}
