import type { NextRequest } from "next/server";
import { customerSession, json, jsonRefusal, notFoundResponse, UUID } from "../../../route-helpers";

/**
 * One instance's details for the instance grid: the instance at position `index` in instance
 * number order, checked against the number `n` the grid shows there.
 * GET /compute/tasks/<id>/instances?index=41&n=42
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const session = await customerSession();
  if (!session || !UUID.test(taskId)) return notFoundResponse();
  const index = Number(request.nextUrl.searchParams.get("index"));
  const n = Number(request.nextUrl.searchParams.get("n"));
  if (!Number.isSafeInteger(index) || index < 0 || !Number.isSafeInteger(n)) return json({ error: "Bad instance." }, 400);
  try {
    const page = await session.api.compute.instances({ taskId, page: index + 1, pageSize: 1 });
    const instance = page.instances[0];
    if (!instance || instance.instanceNumber !== n) return json({ error: "This instance is not where the grid shows it: reload the page." }, 409);
    return json({
      ...instance,
      startedAt: instance.startedAt?.toISOString() ?? null,
      endedAt: instance.endedAt?.toISOString() ?? null,
    });
  } catch (error) {
    return jsonRefusal(error);
  }
}
