import type { NextRequest } from "next/server";
import { contactSheet } from "@/server/services/task-outputs";
import { isUuid } from "@/server/domain/text";
import { attachment, customerSession, notFoundResponse } from "../../../route-helpers";

/**
 * A render task's contact sheet (its frames side by side), for the signed-in customer's
 * organization only. Shown in the page; `?download=1` saves it.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const session = await customerSession();
  if (!session || !isUuid(taskId)) return notFoundResponse();
  const png = await contactSheet(session.db, { organizationId: session.user.organizationId, taskId });
  if (!png) return notFoundResponse();
  const download = request.nextUrl.searchParams.get("download") === "1";
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Content-Length": String(png.length),
      "Content-Disposition": download ? attachment(`contact-sheet-${taskId.slice(0, 8)}.png`) : "inline",
      // Rebuilt while frames arrive.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
