import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";

/**
 * Deletes a job row once its tasks are gone. The services contract has no deleteJob (Qarnot's SDK
 * calls DELETE /jobs/{uuid}); this belongs in server/services/tasks.ts and should move there.
 */
export async function deleteEmptyJob(db: Db, opts: { organizationId: string; jobId: string }): Promise<"deleted" | "missing" | "has-tasks"> {
  const deleted = await db.execute<{ id: string }>(sql`
    delete from jobs j where j.id = ${opts.jobId} and j.organization_id = ${opts.organizationId}
      and not exists (select 1 from tasks t where t.job_id = j.id)
    returning j.id`);
  if (deleted.length > 0) return "deleted";
  const [left] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from jobs where id = ${opts.jobId} and organization_id = ${opts.organizationId}`);
  return left!.n > 0 ? "has-tasks" : "missing";
}
