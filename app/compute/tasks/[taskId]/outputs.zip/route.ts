import { taskArchive } from "@/server/services/task-archive";
import { isUuid } from "@/server/domain/text";
import { attachment, customerSession, notFoundResponse } from "../../../route-helpers";

/**
 * Every output of the task and its consolidated result in one zip, streamed as it is built, for
 * the signed-in customer's organization only (another's task is not found).
 */
export async function GET(_request: Request, { params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const session = await customerSession();
  if (!session || !isUuid(taskId)) return notFoundResponse();
  const archive = await taskArchive(session.db, { organizationId: session.user.organizationId, taskId });
  if (!archive) return notFoundResponse();
  return new Response(archive, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": attachment(`task-${taskId.slice(0, 8)}-outputs.zip`),
      // Grows while instances finish.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
