import { monthsCsv } from "@/server/domain/carbon-report";
import { carbonMonths } from "@/server/services/carbon-report";
import { attachment, customerSession, notFoundResponse } from "../../route-helpers";

/** The last twelve months' Carbon Facts as CSV, for the signed-in customer's organization only. */
export async function GET() {
  const session = await customerSession();
  if (!session) return notFoundResponse();
  const { organizationId } = session.user;
  const report = await carbonMonths(session.db, { organizationId }, organizationId);
  return new Response(monthsCsv(report.months, report.methodologyVersion), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(`carbon-${report.months[0]!.month}-to-${report.months[report.months.length - 1]!.month}.csv`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
