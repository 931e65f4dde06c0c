import { describe, expect, it } from "vitest";
import { elsewhereRole, isLocalPath, requestedPathOf } from "./paths";

describe("the path a page was requested with", () => {
  it("keeps the path and its query, not the framework's _rsc parameter", () => {
    expect(requestedPathOf(new URL("http://localhost:3000/admin/gateways"))).toBe("/admin/gateways");
    expect(requestedPathOf(new URL("http://localhost:3000/compute/tasks?state=Success&_rsc=1x2y"))).toBe("/compute/tasks?state=Success");
    expect(requestedPathOf(new URL("http://localhost:3000/compute?_rsc=abc"))).toBe("/compute");
  });
});

describe("a path to send someone to after signing in", () => {
  it("is a path of this site only", () => {
    expect(isLocalPath("/admin/gateways")).toBe(true);
    expect(isLocalPath("/compute/tasks?state=Success")).toBe(true);
    for (const foreign of ["//evil.example", "/\\evil.example", "https://evil.example/admin", "admin", "", "/admin\n", "/a\\b"]) {
      expect(isLocalPath(foreign), foreign).toBe(false);
    }
  });
});

describe("the notice of a landing page reached from another audience's page", () => {
  it("names the audience in plain words, and nothing for an unknown value", () => {
    expect(elsewhereRole("staff")).toBe("staff");
    expect(elsewhereRole(["customer"])).toBe("customer");
    expect(elsewhereRole("toString")).toBeNull();
    expect(elsewhereRole(undefined)).toBeNull();
  });
});
