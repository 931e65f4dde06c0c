import { getOutput } from "@/server/services/task-outputs";
import { isUuid } from "@/server/domain/text";
import { outputDownloadHeaders } from "@/server/domain/downloads";
import { customerSession, notFoundResponse } from "../../../../route-helpers";

/** Downloads one output file of a task of the signed-in customer's organization; 404 for anything else. */
export async function GET(_request: Request, { params }: { params: Promise<{ taskId: string; outputId: string }> }) {
  const { taskId, outputId } = await params;
  const session = await customerSession();
  if (!session || !isUuid(taskId) || !/^\d{1,15}$/.test(outputId)) return notFoundResponse();
  const output = await getOutput(session.db, { organizationId: session.user.organizationId, taskId, outputId: Number(outputId) });
  if (!output) return notFoundResponse();
  return new Response(new Uint8Array(output.content), {
    headers: {
      // Served as the REST API serves it: inert types only, as an attachment.
      ...outputDownloadHeaders(output),
      "Content-Length": String(output.content.length),
      "Cache-Control": "private, no-store",
    },
  });
}
