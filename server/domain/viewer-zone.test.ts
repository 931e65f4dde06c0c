import { describe, expect, it } from "vitest";
import { VIEW_TIME_ZONE } from "./view-time";
import { canonicalTimeZone, viewerTimeZone } from "./viewer-zone";

describe("the viewer's zone", () => {
  it("is the zone the browser named", () => {
    expect(viewerTimeZone("America/New_York")).toBe("America/New_York");
    expect(viewerTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(viewerTimeZone("UTC")).toBe("UTC");
  });

  it("is written the one way whatever the case the cookie used", () => {
    expect(viewerTimeZone("america/new_york")).toBe("America/New_York");
  });

  it("is the operator's when the browser has not told us yet", () => {
    expect(viewerTimeZone(undefined)).toBe(VIEW_TIME_ZONE);
    expect(viewerTimeZone(null)).toBe(VIEW_TIME_ZONE);
    expect(viewerTimeZone("")).toBe(VIEW_TIME_ZONE);
  });

  it("is the operator's for a name no runtime knows", () => {
    expect(viewerTimeZone("Mars/Olympus_Mons")).toBe(VIEW_TIME_ZONE);
    expect(viewerTimeZone("Europe/Pariss")).toBe(VIEW_TIME_ZONE);
  });

  it("is the operator's for a forged cookie, without throwing", () => {
    for (const garbage of ["<script>alert(1)</script>", "'; drop table users; --", "../../etc/passwd", "+05:00", "a".repeat(5000), "Europe/Paris\u0000", "%2F", 42, {}, ["UTC"]]) {
      expect(viewerTimeZone(garbage)).toBe(VIEW_TIME_ZONE);
    }
  });

  it("names no zone for what is not one", () => {
    expect(canonicalTimeZone("Europe/Paris")).toBe("Europe/Paris");
    expect(canonicalTimeZone("nowhere")).toBeNull();
  });
});
