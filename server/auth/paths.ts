import { HOME_PATH_BY_ROLE, type Role } from "./roles";

/** The path and query a page was requested with, as the proxy passes it on: pages cannot read their own URL. */
export const REQUESTED_PATH_HEADER = "x-hearth-requested-path";

/** A page's own path and query, without the framework's cache-busting `_rsc` parameter. */
export function requestedPathOf(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete("_rsc");
  const query = params.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/**
 * A path of this site to send someone to, never another site's: it starts with a single "/" (a
 * "//host" or "/\host" is taken by browsers for another host) and holds no control characters.
 */
export function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])/.test(path) && !/[\u0000-\u001f\u007f\\]/.test(path);
}

/** The query flag a landing page is sent with when its user asked for another audience's page. */
export const ELSEWHERE_PARAM = "elsewhere";

/** Whose page was asked for when a landing page is shown instead, from its `elsewhere` parameter; null if none. */
export function elsewhereRole(param: string | string[] | undefined): Role | null {
  const role = Array.isArray(param) ? param[0] : param;
  return role && Object.hasOwn(HOME_PATH_BY_ROLE, role) ? (role as Role) : null;
}
