import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";

/** The proxy's refusals, made before Next.js's own router and action handler answer them with a 500. */

const post = (path: string, headers: Record<string, string>) =>
  proxy(new NextRequest(`http://localhost:3000${path}`, { method: "POST", headers: { host: "localhost:3000", ...headers }, body: "[]" }));

describe("a server action posted from another site", () => {
  const action = { "next-action": "7f3a9c0d1e2b4a5968778695a4b3c2d1e0f9a8b7c6", "content-type": "text/plain;charset=UTF-8" };

  it("is refused with 403, whatever the page", async () => {
    for (const path of ["/", "/compute/tasks/new", "/admin/gateways"]) {
      const res = post(path, { ...action, origin: "https://evil.example" });
      expect(res.status, path).toBe(403);
    }
    expect(post("/", { ...action, origin: "null" }).status).toBe(403); // a sandboxed frame
    expect(post("/", { ...action, origin: "not a url" }).status).toBe(403);
    expect(post("/", { ...action, origin: "http://localhost:3000.evil.example" }).status).toBe(403);
    // A form posted without JavaScript carries its action in the body, not in a header.
    expect(post("/compute/tasks/new", { "content-type": "multipart/form-data; boundary=x", origin: "https://evil.example" }).status).toBe(403);
  });

  it("passes from the site itself, as its host or the host a reverse proxy forwarded", async () => {
    expect(post("/", { ...action, origin: "http://localhost:3000" }).status).not.toBe(403);
    expect(post("/", { ...action, origin: "https://hearth.example", "x-forwarded-host": "hearth.example" }).status).not.toBe(403);
    // No Origin at all: not a browser's cross-site request (Next.js lets it through too).
    expect(post("/", action).status).not.toBe(403);
  });
});

describe("a path that is not valid percent-encoding", () => {
  it("is answered 400, in JSON on the REST API", async () => {
    const api = proxy(new NextRequest("http://localhost:3000/api/v1/tasks/%E0%A4%A"));
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ message: expect.stringMatching(/^path: /), field: "path" });
    expect(api.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const page = proxy(new NextRequest("http://localhost:3000/compute/tasks/%E0%A4%A"));
    expect(page.status).toBe(400);
  });

  it("reaches the proxy on the API, which it otherwise skips", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/api/v1/tasks/%E0%A4%A")).toBe(true);
    expect(matches("/api/device/v1/%E0%A4%A")).toBe(true);
    expect(matches("/compute/tasks/%E0%A4%A")).toBe(true);
    expect(matches("/api/v1/tasks")).toBe(false);
    expect(matches("/api/v1/tasks/0b9a4e1c-6a34-4b8e-9a7e-1b9e1f1d2c3a/stdout")).toBe(false);
    expect(matches("/api/device/v1/report")).toBe(false);
    expect(matches("/compute/tasks")).toBe(true);
  });
});

describe("a page's request", () => {
  it("carries the path and query asked for, so that sign-in can come back to it", () => {
    const res = proxy(new NextRequest("http://localhost:3000/admin/gateways?q=Balard&_rsc=abc"));
    expect(res.headers.get("x-middleware-request-x-hearth-requested-path")).toBe("/admin/gateways?q=Balard");
  });
});
