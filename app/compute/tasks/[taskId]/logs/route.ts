import type { NextRequest } from "next/server";
import { isUuid } from "@/server/services/tasks";
import { customerSession, json, jsonRefusal, notFoundResponse } from "../../../route-helpers";

/**
 * The live log tail's polling: chunks of one stream after `after` (a log id), for one instance or
 * all. GET /compute/tasks/<id>/logs?stream=stdout&instance=3&after=120
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const session = await customerSession();
  if (!session || !isUuid(taskId)) return notFoundResponse();
  const query = request.nextUrl.searchParams;
  const stream = query.get("stream") === "stderr" ? "stderr" : "stdout";
  const instance = query.get("instance");
  const after = query.get("after");
  const instanceNumber = instance && /^\d{1,8}$/.test(instance) ? Number(instance) : undefined;
  const afterLogId = after && /^\d{1,15}$/.test(after) ? Number(after) : undefined;
  try {
    const { chunks, lastLogId } = await session.api.compute.logs({ taskId, stream, instanceNumber, afterLogId });
    return json({
      chunks: chunks.map((c) => ({ id: c.id, instanceNumber: c.instanceNumber, content: c.content, createdAt: c.createdAt.toISOString() })),
      lastLogId,
    });
  } catch (error) {
    return jsonRefusal(error);
  }
}
