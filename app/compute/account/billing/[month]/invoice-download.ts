import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { createRequestContext } from "@/server/api/request-context";
import { invoiceFileName } from "@/server/domain/invoices";
import { invoiceCsv } from "@/server/services/invoices";
import { renderInvoicePdf } from "@/server/services/invoice-pdf";
import { attachment, notFoundResponse as notFound } from "../../../route-helpers";

/**
 * A month's invoice to download, read through the billing router as the signed-in customer: anyone
 * else, or a month without charges, answers 404 alike.
 */
export async function invoiceDownload(params: Promise<{ month: string }>, kind: "csv" | "pdf"): Promise<Response> {
  const { month } = await params;
  const ctx = await createRequestContext();
  if (ctx.user?.role !== "customer") return notFound();
  let invoice;
  try {
    invoice = await createCaller(ctx).billing.invoice({ month });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return notFound();
    throw error;
  }
  const body = kind === "csv" ? Buffer.from(invoiceCsv(invoice), "utf8") : await renderInvoicePdf(invoice, { issuedAt: new Date() });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": kind === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
      "Content-Length": String(body.length),
      "Content-Disposition": attachment(invoiceFileName(invoice.month, kind)),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
