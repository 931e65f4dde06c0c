import type { NextRequest } from "next/server";
import { LOG_CURSOR_PATTERN } from "@/server/services/task-logs";
import { isUuid } from "@/server/services/tasks";
import { customerSession, json, jsonRefusal, notFoundResponse } from "../../../route-helpers";

/**
 * The live log tail's polling: chunks of one stream after `after` (the cursor the previous poll
 * returned), for one instance or all. GET /compute/tasks/<id>/logs?stream=stdout&instance=3&after=812-120
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
  try {
    const { chunks, cursor, more } = await session.api.compute.logs({
      taskId,
      stream,
      instanceNumber,
      after: after && LOG_CURSOR_PATTERN.test(after) ? after : undefined,
    });
    return json({
      chunks: chunks.map((c) => ({ id: c.id, instanceNumber: c.instanceNumber, content: c.content, createdAt: c.createdAt.toISOString() })),
      cursor,
      more,
    });
  } catch (error) {
    return jsonRefusal(error);
  }
}
