import "server-only";
import { createRequestContext } from "@/server/api/request-context";

/** Route handlers of the compute pages: the signed-in customer, or null (answered 404, like a missing record). */
export async function customerSession() {
  const ctx = await createRequestContext();
  const user = ctx.user;
  if (!user || user.role !== "customer") return null;
  return { user, db: ctx.db };
}

export const notFoundResponse = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** `attachment; filename="…"`: safe for any name. */
export { attachmentDisposition as attachment } from "@/server/domain/downloads";
