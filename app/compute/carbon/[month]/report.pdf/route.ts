import { renderCarbonReportPdf } from "@/server/services/carbon-report-pdf";
import { attachment, notFoundResponse } from "../../../route-helpers";
import { monthForDownload } from "../month-report";

/** A month's carbon report as a PDF, for the signed-in customer's organization only. */
export async function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const report = await monthForDownload(month);
  if (!report) return notFoundResponse();
  const pdf = await renderCarbonReportPdf(report);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.length),
      "Content-Disposition": attachment(`carbon-report-${report.month}.pdf`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
