import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/server/db/client";
import { auth } from "./index";
import { loadSessionUser, sessionClaimOf, type SessionUser } from "./authenticate";
import { HOME_PATH_BY_ROLE, type Role } from "./roles";

/**
 * The signed-in user, read from the database, or null (also once this session has ended, or for
 * a token from before sessions were recorded). Read once per server render: a layout
 * and its page both ask (React's cache; elsewhere, as in route handlers, it is simply called).
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const claim = session && sessionClaimOf({ sub: session.user?.id, sessionId: session.sessionId });
  return claim ? loadSessionUser(getDb(), claim) : null;
});

/** For an audience's pages: signed out goes to sign-in; another audience goes to its own landing. */
export async function requireRole(role: Role, from: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(from)}`);
  if (user.role !== role) redirect(HOME_PATH_BY_ROLE[user.role]);
  return user;
}
