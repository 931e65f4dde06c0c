import { TRPCError } from "@trpc/server";
import { cookies } from "next/headers";
import { createCaller } from "@/server/api/root";
import { createRequestContext } from "@/server/api/request-context";
import { attachmentDisposition } from "@/server/domain/downloads";
import { statementFileName } from "@/server/domain/refund-statements";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from "@/server/i18n/locales";
import { renderStatementPdf } from "@/server/services/statement-pdf";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * A month's refund statement as a PDF, for the signed-in resident's own home only: anyone else,
 * another home's month or a month without a statement answers 404 alike. In the language the
 * resident's pages speak (the locale cookie), French by default.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  const ctx = await createRequestContext();
  if (ctx.user?.role !== "resident") return notFound();
  let statement;
  try {
    statement = await createCaller(ctx).statements.get({ month });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return notFound();
    throw error;
  }
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  const pdf = await renderStatementPdf(statement, locale);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.length),
      "Content-Disposition": attachmentDisposition(statementFileName(statement.month, locale)),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
