import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/server/db/client";
import { auth } from "./index";
import { loadSessionUser, sessionClaimOf, type SessionUser } from "./authenticate";
import { ELSEWHERE_PARAM, isLocalPath, REQUESTED_PATH_HEADER } from "./paths";
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

/**
 * For an audience's pages: signed out goes to sign-in, to come back to the page asked for (the
 * proxy's record of it, else `from`: a layout does not know its page); another audience goes to
 * its own landing, which says why.
 */
export async function requireRole(role: Role, from: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) {
    const requested = (await headers()).get(REQUESTED_PATH_HEADER);
    redirect(`/signin?next=${encodeURIComponent(requested && isLocalPath(requested) ? requested : from)}`);
  }
  if (user.role !== role) redirect(`${HOME_PATH_BY_ROLE[user.role]}?${ELSEWHERE_PARAM}=${role}`);
  return user;
}
