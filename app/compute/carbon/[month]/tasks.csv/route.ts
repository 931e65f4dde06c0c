import { monthTasksCsv } from "@/server/domain/carbon-report";
import { attachment, notFoundResponse } from "../../../route-helpers";
import { monthForDownload } from "../month-report";

/** A month's lines per task as CSV, for the signed-in customer's organization only. */
export async function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const report = await monthForDownload(month);
  if (!report) return notFoundResponse();
  return new Response(monthTasksCsv(report.month, report.tasks, report.methodologyVersion), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(`carbon-${report.month}-tasks.csv`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
