import { sql, type SQL } from "drizzle-orm";
import { consolidateTaskResult, type ConsolidatedPrice } from "@/server/domain/task-results";
import { buildContactSheet, CONTACT_SHEET_LIMITS } from "@/server/profiles/contact-sheet";
import type { Tx } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import { isUuid } from "@/server/domain/text";

/**
 * A task's results: each instance's output files, and the consolidated result (the pooled price of
 * a Monte-Carlo task, the contact sheet of a render). Only outputs of the attempt that succeeded
 * count: a failed or lost attempt's files are not results.
 */

export type OutputView = { id: number; instanceNumber: number; name: string; contentType: string; sizeBytes: number; createdAt: Date };

export type TaskResult =
  | ({ kind: "monte-carlo" } & ConsolidatedPrice)
  | { kind: "render"; frames: number; contactSheet: { name: "contact-sheet.png"; sizeBytes: number } }
  /** `reason` when the profile has a consolidated result that cannot be made (yet). */
  | { kind: "none"; reason?: string };

const CONTACT_SHEET = "contact-sheet.png";

async function profileOfTask(db: Tx, organizationId: string, taskId: string): Promise<string | null> {
  if (!isUuid(taskId)) return null;
  const [task] = await db.execute<{ profile_name: string }>(sql`
    select p.name as profile_name from tasks t join profiles p on p.id = t.profile_id
    where t.id = ${taskId} and t.organization_id = ${organizationId}`);
  return task?.profile_name ?? null;
}

/** Outputs of the task's succeeded attempts, by instance number and name. Null for no such task. */
export async function listOutputs(db: Tx, opts: { organizationId: string; taskId: string }): Promise<OutputView[] | null> {
  if ((await profileOfTask(db, opts.organizationId, opts.taskId)) === null) return null;
  const rows = await db.execute<{ id: string; instance_number: number; name: string; content_type: string; size_bytes: number; created_at: string }>(sql`
    select o.id, i.instance_number, o.name, o.content_type, o.size_bytes, o.created_at
    from instances i join instance_outputs o on o.instance_id = i.id join instance_attempts a on a.id = o.attempt_id
    where i.task_id = ${opts.taskId} and a.state = 'succeeded'
    order by i.instance_number, o.name`);
  return rows.map((r) => ({
    id: Number(r.id),
    instanceNumber: r.instance_number,
    name: r.name,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    createdAt: new Date(r.created_at),
  }));
}

/**
 * One page of the task's outputs, in the order of listOutputs, with how many there are in all and,
 * for each, whether another instance wrote a file of the same name (saved files then need the
 * instance's number): one query, whatever the number of outputs. Null for no such task.
 */
export async function outputsPage(
  db: Tx,
  opts: { organizationId: string; taskId: string; page: number; pageSize: number },
): Promise<{ outputs: Array<OutputView & { nameShared: boolean }>; total: number } | null> {
  if ((await profileOfTask(db, opts.organizationId, opts.taskId)) === null) return null;
  const rows = await db.execute<{
    id: string;
    instance_number: number;
    name: string;
    content_type: string;
    size_bytes: number;
    created_at: string;
    name_count: number;
    total: number;
  }>(sql`
    select * from (
      select o.id, i.instance_number, o.name, o.content_type, o.size_bytes, o.created_at,
        count(*) over (partition by o.name)::int as name_count, count(*) over ()::int as total
      from instances i join instance_outputs o on o.instance_id = i.id join instance_attempts a on a.id = o.attempt_id
      where i.task_id = ${opts.taskId} and a.state = 'succeeded'
    ) o
    order by o.instance_number, o.name
    limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`);
  const total = rows[0]?.total ?? (opts.page > 1 ? await countOutputs(db, opts.taskId) : 0);
  return {
    total,
    outputs: rows.map((r) => ({
      id: Number(r.id),
      instanceNumber: r.instance_number,
      name: r.name,
      contentType: r.content_type,
      sizeBytes: r.size_bytes,
      createdAt: new Date(r.created_at),
      nameShared: r.name_count > 1,
    })),
  };
}

/** A page past the last one has no row to carry the total. */
async function countOutputs(db: Tx, taskId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from instances i join instance_outputs o on o.instance_id = i.id
      join instance_attempts a on a.id = o.attempt_id
    where i.task_id = ${taskId} and a.state = 'succeeded'`);
  return row!.n;
}

/**
 * Output names of the succeeded attempts of the organization's given tasks, by task and instance
 * number, each in name order: one query for a page of tasks.
 */
export async function outputNamesOf(
  db: Tx,
  opts: { organizationId: string; taskIds: string[] },
): Promise<Map<string, Map<number, string[]>>> {
  const byTask = new Map<string, Map<number, string[]>>();
  const ids = opts.taskIds.filter(isUuid);
  if (ids.length === 0) return byTask;
  const rows = await db.execute<{ task_id: string; instance_number: number; name: string }>(sql`
    select i.task_id, i.instance_number, o.name
    from instances i join instance_outputs o on o.instance_id = i.id join instance_attempts a on a.id = o.attempt_id
    where i.task_id = any(${pgArray(ids)}::uuid[]) and i.organization_id = ${opts.organizationId} and a.state = 'succeeded'
    order by i.task_id, i.instance_number, o.name`);
  for (const row of rows) {
    const names = byTask.get(row.task_id) ?? new Map<number, string[]>();
    const listed = names.get(row.instance_number);
    if (listed) listed.push(row.name);
    else names.set(row.instance_number, [row.name]);
    byTask.set(row.task_id, names);
  }
  return byTask;
}

/** One output file of the task, with its bytes; null for anything not listed by listOutputs. */
export async function getOutput(
  db: Tx,
  opts: { organizationId: string; taskId: string; outputId: number },
): Promise<{ name: string; contentType: string; content: Buffer } | null> {
  if (!isUuid(opts.taskId) || !Number.isSafeInteger(opts.outputId)) return null;
  const [row] = await db.execute<{ name: string; content_type: string; content: Buffer }>(sql`
    select o.name, o.content_type, o.content
    from instance_outputs o join instances i on i.id = o.instance_id join tasks t on t.id = i.task_id
      join instance_attempts a on a.id = o.attempt_id
    where o.id = ${opts.outputId} and i.task_id = ${opts.taskId} and t.organization_id = ${opts.organizationId}
      and a.state = 'succeeded'`);
  return row ? { name: row.name, contentType: row.content_type, content: row.content } : null;
}

/** Contents of the task's succeeded outputs of a kind, by instance number. */
function succeededOutputs(db: Tx, taskId: string, which: SQL, limit?: number) {
  return db.execute<{ instance_number: number; content: Buffer }>(sql`
    select i.instance_number, o.content
    from instances i join instance_outputs o on o.instance_id = i.id join instance_attempts a on a.id = o.attempt_id
    where i.task_id = ${taskId} and a.state = 'succeeded' and ${which}
    order by i.instance_number
    ${limit === undefined ? sql`` : sql`limit ${limit}`}`);
}

/** The consolidated result of a task so far; null for no such task. */
export async function taskResult(db: Tx, opts: { organizationId: string; taskId: string }): Promise<TaskResult | null> {
  const profileName = await profileOfTask(db, opts.organizationId, opts.taskId);
  if (profileName === null) return null;
  if (profileName === "monte-carlo") {
    const outputs = await succeededOutputs(db, opts.taskId, sql`o.name = 'result.json'`);
    const consolidated = consolidateTaskResult(profileName, outputs.map((o) => o.content));
    if (!consolidated.ok) return { kind: "none", reason: consolidated.error };
    if (!consolidated.result) return { kind: "none" };
    return { kind: "monte-carlo", ...consolidated.result };
  }
  if (profileName === "render") {
    const built = await renderContactSheet(db, opts.taskId);
    if (!built) return { kind: "none", reason: "No frame has been rendered yet." };
    return { kind: "render", frames: built.frames, contactSheet: { name: CONTACT_SHEET, sizeBytes: built.sheet.length } };
  }
  return { kind: "none" };
}

/**
 * A render task's frames on one PNG. Null for no such task, another profile, or no frame yet.
 */
export async function contactSheet(db: Tx, opts: { organizationId: string; taskId: string }): Promise<Buffer | null> {
  if ((await profileOfTask(db, opts.organizationId, opts.taskId)) !== "render") return null;
  return (await renderContactSheet(db, opts.taskId))?.sheet ?? null;
}

/**
 * The contact sheet of a render task's frames (by instance number), kept in task_artifacts and
 * rebuilt when the number of frames changed since; null before the first frame.
 */
async function renderContactSheet(db: Tx, taskId: string): Promise<{ sheet: Buffer; frames: number } | null> {
  const [row] = await db.execute<{ frames: number; content: Buffer | null; built_from_outputs: number | null }>(sql`
    select (select count(*)::int
        from instances i join instance_outputs o on o.instance_id = i.id join instance_attempts a on a.id = o.attempt_id
        where i.task_id = ${taskId} and a.state = 'succeeded' and o.content_type = 'image/png') as frames,
      c.content, c.built_from_outputs
    from (select 1) one left join task_artifacts c on c.task_id = ${taskId} and c.name = ${CONTACT_SHEET}`);
  const { frames, content, built_from_outputs } = row!;
  if (frames === 0) return null;
  if (content && built_from_outputs === frames) return { sheet: content, frames };
  // The sheet shows at most maxFrames frames: loading more would only cost memory.
  const pngs = await succeededOutputs(db, taskId, sql`o.content_type = 'image/png'`, CONTACT_SHEET_LIMITS.maxFrames);
  const sheet = buildContactSheet(pngs.map((p) => ({ frameNumber: p.instance_number, png: p.content })));
  await db.execute(sql`
    insert into task_artifacts (task_id, name, content_type, content, size_bytes, built_from_outputs)
    values (${taskId}, ${CONTACT_SHEET}, 'image/png', ${sheet}, ${sheet.length}, ${frames})
    on conflict (task_id, name) do update set content = excluded.content, size_bytes = excluded.size_bytes,
      built_from_outputs = excluded.built_from_outputs, created_at = now()`);
  return { sheet, frames };
}
