import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import { isUuid } from "@/server/domain/text";

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
/**
 * At most this many bytes (UTF-8) of log text per read, however long the log: a chunk is at most
 * 64 KiB (the device protocol's limit), so a page always holds at least one whole chunk.
 */
export const MAX_LOG_PAGE_BYTES = 256 * 1024;

/**
 * A page of a log: its chunks in commit order; `cursor`, where to read on after them; `more`,
 * whether chunks after them were already there; `earlier`, for a read from the end or backward,
 * where to read on backward when older chunks exist (null when none do, and for a read forward).
 */
export type LogPage = { chunks: LogChunk[]; cursor: LogCursor; more: boolean; earlier: LogCursor | null };

async function ownsTask(db: Tx, organizationId: string, taskId: string) {
  if (!isUuid(taskId)) return false;
  const [task] = await db.execute<{ id: string }>(sql`select id from tasks where id = ${taskId} and organization_id = ${organizationId}`);
  return Boolean(task);
}

/**
 * Log text is fetched at most this many bytes (UTF-8) at a time, give or take a chunk: however
 * long the read, no statement carries more, and a reader of a long log takes turns with others.
 */
export const LOG_FETCH_BYTES = 64 * 1024;

type ChunkKey = { xactId: string; logId: number; instanceNumber: number; bytes: number; createdAt: Date };

/**
 * The keys of up to `limit` (or all) chunks next to `from` in commit order, forward (after it) or
 * backward (before it, newest first; from the end when `from` is null), in reading order, cut
 * before the one whose text would pass `maxBytes` (the first is always kept); with whether any
 * were left over. Keys and sizes only: the text is not read.
 */
async function chunkKeys(
  db: Tx,
  opts: { taskId: string; stream: LogStream; instanceNumber?: number; from: LogCursor | null; forward: boolean; limit?: number; maxBytes: number },
): Promise<{ keys: ChunkKey[]; leftOver: boolean }> {
  const from =
    opts.from === null ? sql`` : sql`and (l.xact_id, l.id) ${opts.forward ? sql`>` : sql`<`} (${opts.from.xactId}::xid8, ${opts.from.logId}::bigint)`;
  const order = opts.forward ? sql`l.xact_id, l.id` : sql`l.xact_id desc, l.id desc`;
  // octet_length reads a stored text's size without reading the text.
  const rows = await db.execute<{ id: string; xact_id: string; instance_number: number; bytes: number; created_at: string; has_next: boolean }>(sql`
    select id, xact_id::text, instance_number, bytes, created_at, has_next from (
      select l.id, l.xact_id, i.instance_number, l.created_at, octet_length(l.content) as bytes,
        row_number() over w as n, sum(octet_length(l.content)) over w as upto_bytes, lead(l.id) over w is not null as has_next
      from instance_logs l join instances i on i.id = l.instance_id
      where i.task_id = ${opts.taskId} and l.stream = ${opts.stream} ${from}
        and l.xact_id < pg_snapshot_xmin(pg_current_snapshot())
        ${opts.instanceNumber === undefined ? sql`` : sql`and i.instance_number = ${opts.instanceNumber}`}
      window w as (order by ${order} rows unbounded preceding)
    ) k
    where ${opts.limit === undefined ? sql`true` : sql`n <= ${opts.limit}`} and (n = 1 or upto_bytes <= ${opts.maxBytes})
    order by n`);
  return {
    keys: rows.map((r) => ({ xactId: r.xact_id, logId: Number(r.id), instanceNumber: r.instance_number, bytes: Number(r.bytes), createdAt: new Date(r.created_at) })),
    leftOver: rows.at(-1)?.has_next ?? false,
  };
}

/**
 * The text of the given chunks, in the given order, fetched LOG_FETCH_BYTES at a time; with
 * `enough`, it stops as soon as the chunks fetched so far are enough.
 */
async function fetchChunks(db: Tx, keys: ChunkKey[], enough: (chunks: LogChunk[]) => boolean = () => false): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  for (let k = 0; k < keys.length && !enough(chunks); ) {
    const batch: ChunkKey[] = [];
    let bytes = 0;
    while (k < keys.length && (batch.length === 0 || bytes + keys[k]!.bytes <= LOG_FETCH_BYTES)) {
      bytes += keys[k]!.bytes;
      batch.push(keys[k++]!);
    }
    const rows = await db.execute<{ id: string; content: string }>(sql`
      select id, content from instance_logs where id = any(${pgArray(batch.map((key) => key.logId))}::bigint[])`);
    const contents = new Map(rows.map((r) => [Number(r.id), r.content]));
    for (const key of batch) {
      chunks.push({ id: key.logId, instanceNumber: key.instanceNumber, content: contents.get(key.logId) ?? "", createdAt: key.createdAt });
    }
  }
  return chunks;
}

/**
 * Up to `limit` chunks next to `from` in commit order, forward (after it) or backward (before it,
 * newest first; from the end when `from` is null), cut before the one whose text would pass
 * `maxBytes` (the first is always kept); returned in commit order, with whether any were left over.
 */
async function chunksFrom(
  db: Tx,
  opts: { taskId: string; stream: LogStream; instanceNumber?: number; from: LogCursor | null; forward: boolean; limit: number; maxBytes: number },
): Promise<{ chunks: LogChunk[]; cursors: LogCursor[]; leftOver: boolean }> {
  const { keys, leftOver } = await chunkKeys(db, opts);
  const inOrder = opts.forward ? keys : keys.reverse();
  return { chunks: await fetchChunks(db, inOrder), cursors: inOrder.map((k) => ({ xactId: k.xactId, logId: k.logId })), leftOver };
}

/** Chunks after `after`, in commit order, at most `limit` of them and MAX_LOG_PAGE_BYTES of text, and the cursor after the last. */
async function chunksAfter(
  db: Tx,
  opts: { taskId: string; stream: LogStream; instanceNumber?: number; after: LogCursor; limit: number },
): Promise<LogPage> {
  const { chunks, cursors, leftOver } = await chunksFrom(db, { ...opts, from: opts.after, forward: true, maxBytes: MAX_LOG_PAGE_BYTES });
  return { chunks, cursor: cursors.at(-1) ?? opts.after, more: leftOver, earlier: null };
}

/**
 * A page of a task's log (or of one instance's), at most MAX_LOG_PAGE_BYTES of text: after the
 * cursor `after` when given (`cursor` is where to continue from, unchanged when nothing new
 * arrived); otherwise the end of the log, or what comes just before `before`, with `earlier` to
 * page back from. Null for no such task.
 */
export async function readLogs(
  db: Tx,
  opts: {
    organizationId: string;
    taskId: string;
    stream: LogStream;
    instanceNumber?: number;
    after?: LogCursor;
    before?: LogCursor;
    limit?: number;
  },
): Promise<LogPage | null> {
  if (!(await ownsTask(db, opts.organizationId, opts.taskId))) return null;
  const limit = Math.min(MAX_LOG_CHUNKS, Math.max(1, Math.floor(opts.limit ?? DEFAULT_LOG_CHUNKS)));
  if (opts.after) return chunksAfter(db, { ...opts, after: opts.after, limit });
  const { chunks, cursors, leftOver } = await chunksFrom(db, {
    ...opts,
    from: opts.before ?? null,
    forward: false,
    limit,
    maxBytes: MAX_LOG_PAGE_BYTES,
  });
  // From the end, reading on forward starts after the newest chunk read (or at the start of an empty log).
  const cursor = cursors.at(-1) ?? opts.before ?? LOG_START;
  return { chunks, cursor, more: false, earlier: leftOver ? cursors[0]! : null };
}

/**
 * The end of a task's log (or of one instance's): the last `maxChars` characters (UTF-16 code
 * units, as JavaScript counts them) of its text in commit order, or all of it when shorter. The
 * newest chunks are fetched first, LOG_FETCH_BYTES at a time, until they hold `maxChars`
 * characters: never the whole of a longer log. Null for no such task; `instanceFound` false when
 * `instanceNumber` names none of its instances.
 */
export async function readLogTail(
  db: Tx,
  opts: { organizationId: string; taskId: string; stream: LogStream; instanceNumber?: number; maxChars: number },
): Promise<{ text: string; instanceFound: boolean } | null> {
  if (!isUuid(opts.taskId)) return null;
  const [task] = await db.execute<{ instance_found: boolean }>(sql`
    select ${opts.instanceNumber === undefined ? sql`true` : sql`exists (select 1 from instances i where i.task_id = t.id and i.instance_number = ${opts.instanceNumber})`} as instance_found
    from tasks t where t.id = ${opts.taskId} and t.organization_id = ${opts.organizationId}`);
  if (!task) return null;
  if (!task.instance_found) return { text: "", instanceFound: false };
  // A character is at most 4 bytes: the chunks that hold maxChars characters are within 4 × maxChars bytes of the end.
  const { keys } = await chunkKeys(db, { ...opts, from: null, forward: false, maxBytes: 4 * opts.maxChars });
  let chars = 0;
  let counted = 0;
  const newestFirst = await fetchChunks(db, keys, (chunks) => {
    for (; counted < chunks.length; counted++) chars += chunks[counted]!.content.length;
    return chars >= opts.maxChars;
  });
  const text = newestFirst.reverse().map((c) => c.content).join("");
  return { text: text.length > opts.maxChars ? text.slice(text.length - opts.maxChars) : text, instanceFound: true };
}

/**
 * Qarnot's "fresh" output: the text that arrived since the previous fresh read of the same task,
 * stream and scope (the whole task, or one instance), which moves the task's stored cursor on.
 * At most MAX_LOG_CHUNKS chunks and MAX_LOG_PAGE_BYTES of text per read; the rest comes with the next one. Null for no such task.
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
