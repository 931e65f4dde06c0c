import { VIEW_TIME_ZONE } from "./view-time";

/**
 * Which zone the compute portal writes times in: the viewer's browser's, as it told us through a
 * cookie, else the operator's. Client-safe.
 */
export const VIEWER_ZONE_COOKIE = "hearth-tz";
export const VIEWER_ZONE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

// IANA names ("America/New_York", "UTC", "Etc/GMT+5"): letters first, then no character a cookie
// or a header would need escaped. Longer or stranger values are not worth asking Intl about.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** The zone's canonical IANA name if `name` is a zone this runtime knows, else null. */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== "string" || !ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The zone to show a viewer times in, from the cookie their browser wrote. The cookie is theirs
 * to forge: anything but a known zone falls back to the operator's rather than failing the page.
 */
export function viewerTimeZone(cookie: unknown): string {
  return canonicalTimeZone(cookie) ?? VIEW_TIME_ZONE;
}
