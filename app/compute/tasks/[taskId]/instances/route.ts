import type { NextRequest } from "next/server";
import { isUuid } from "@/server/services/tasks";
import { customerSession, json, jsonRefusal, notFoundResponse } from "../../../route-helpers";

/**
 * One instance's details for the instance grid, by its number.
 * GET /compute/tasks/<id>/instances?n=42
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const session = await customerSession();
  if (!session || !isUuid(taskId)) return notFoundResponse();
  const n = Number(request.nextUrl.searchParams.get("n") ?? "");
  if (!Number.isSafeInteger(n) || n < 0) return json({ error: "Bad instance number." }, 400);
  try {
    const [instance] = (await session.api.compute.instances({ taskId, instanceNumber: n, page: 1, pageSize: 1 })).instances;
    if (!instance) return json({ error: `This task has no instance ${n}.` }, 404);
    return json({
      ...instance,
      startedAt: instance.startedAt?.toISOString() ?? null,
      endedAt: instance.endedAt?.toISOString() ?? null,
    });
  } catch (error) {
    return jsonRefusal(error);
  }
}
