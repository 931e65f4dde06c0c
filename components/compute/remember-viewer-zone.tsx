"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { canonicalTimeZone, VIEWER_ZONE_COOKIE, VIEWER_ZONE_COOKIE_MAX_AGE_S } from "@/server/domain/viewer-zone";

/**
 * Tells the server the browser's zone, through a cookie, so that the pages it renders write times
 * in it. Only the browser knows it, so the first page a viewer opens is written in the operator's
 * zone; once the cookie is new or changed (a trip abroad), the page is rendered again, once.
 */
export function RememberViewerZone() {
  const router = useRouter();
  useEffect(() => {
    const zone = canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (!zone) return;
    const current = document.cookie
      .split("; ")
      .find((c) => c.startsWith(`${VIEWER_ZONE_COOKIE}=`))
      ?.slice(VIEWER_ZONE_COOKIE.length + 1);
    if (current === zone) return;
    // The name needs no escaping (canonicalTimeZone admits only letters, digits and _+-/).
    document.cookie = `${VIEWER_ZONE_COOKIE}=${zone}; path=/; max-age=${VIEWER_ZONE_COOKIE_MAX_AGE_S}; samesite=lax`;
    router.refresh();
  }, [router]);
  return null;
}
