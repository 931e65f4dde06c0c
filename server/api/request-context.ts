import "server-only";
import { TRPCError } from "@trpc/server";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { getDb, type Db } from "@/server/db/client";
import { getSessionUser, requireRole } from "@/server/auth/session";
import type { Role } from "@/server/auth/roles";
import { VIEWER_ZONE_COOKIE, viewerTimeZone } from "@/server/domain/viewer-zone";
import { createCaller } from "./root";
import type { Context } from "./trpc";

/**
 * The tRPC context of an HTTP request or a server render: the database (the read pool, whose
 * statements time out, for queries over HTTP) and the signed-in user.
 */
export async function createRequestContext(db: Db = getDb()): Promise<Context> {
  return { db, user: await getSessionUser() };
}

/**
 * For an audience's pages: call procedures directly as the signed-in user. Pages render
 * alongside their layout, so each page checks the role itself (and redirects) before calling.
 */
export async function serverApi(role: Role, from: string) {
  const user = await requireRole(role, from);
  return createCaller({ db: getDb(), user });
}

/** For pages of one record: another tenant's record, or a malformed id, shows the "not found" page. */
export async function orNotFound<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

/**
 * The zone this request's viewer reads times in: the one their browser wrote to its cookie
 * (components/compute/remember-viewer-zone.tsx), or the operator's while it has not.
 */
export async function viewerZone(): Promise<string> {
  return viewerTimeZone((await cookies()).get(VIEWER_ZONE_COOKIE)?.value);
}
