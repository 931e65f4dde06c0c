import "server-only";
import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { createRequestContext } from "@/server/api/request-context";

/** Route handlers of the compute pages: the signed-in customer, or null (answered 404, like a missing record). */
export async function customerSession() {
  const ctx = await createRequestContext();
  const user = ctx.user;
  if (!user || user.role !== "customer") return null;
  return { user, db: ctx.db, api: createCaller(ctx) };
}

export const notFoundResponse = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/** JSON for the pages' own polling; never cached. */
export const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** A refused call as the polling components expect it; anything else is a real error. */
export function jsonRefusal(error: unknown) {
  if (error instanceof TRPCError) {
    if (error.code === "NOT_FOUND" || error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN") return json({ error: "Not found." }, 404);
    if (error.code === "BAD_REQUEST") return json({ error: error.message }, 400);
  }
  throw error;
}

/** `attachment; filename="…"; filename*=UTF-8''…`: safe for any name. */
export function attachment(name: string) {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
