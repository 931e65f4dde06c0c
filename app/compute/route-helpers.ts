import "server-only";
import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { getDb } from "@/server/db/client";
import { getSessionUser } from "@/server/auth/session";
import type { SessionUser } from "@/server/auth/authenticate";

/** Route handlers of the compute pages: the signed-in customer, or null (answered 404, like a missing record). */
export async function customerSession(): Promise<{ user: SessionUser & { role: "customer" }; api: ReturnType<typeof createCaller> } | null> {
  const user = await getSessionUser();
  if (!user || user.role !== "customer") return null;
  return { user: user as SessionUser & { role: "customer" }, api: createCaller({ db: getDb(), user }) };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
