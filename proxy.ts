import { NextResponse, type NextRequest } from "next/server";
import { REQUESTED_PATH_HEADER, requestedPathOf } from "@/server/auth/paths";

const NO_CONTENT_POLICY = "default-src 'none'; frame-ancestors 'none'";
const MALFORMED_PATH = "path: is not valid URL encoding (a % must start a UTF-8 sequence such as %C3%A9).";

function refusal(status: number, message: string, pathname: string): NextResponse {
  const headers = { "Content-Security-Policy": NO_CONTENT_POLICY, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  const json = (body: unknown) =>
    new NextResponse(JSON.stringify(body), { status, headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  // Each API answers in its own error shape; pages in plain text.
  if (pathname.startsWith("/api/v1")) return json({ message, field: "path" });
  if (pathname.startsWith("/api/device/")) return json({ error: message, field: "path" });
  return new NextResponse(message, { status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a POST to a page (a server action, posted by script with a Next-Action header or by a
 * plain form) comes from another site. Next.js refuses these itself, but answers a 500; the rule
 * is its own: the Origin's host must be the forwarded host, or else the Host (no
 * serverActions.allowedOrigins are configured). Without an Origin it is no browser's cross-site
 * request, and Next.js lets it through too.
 */
function isForeignAction(request: NextRequest, isDocument: boolean): boolean {
  if (request.method !== "POST" || !(isDocument || request.headers.has("next-action"))) return false;
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  return !host || originHost !== host;
}

/**
 * Sets a content security policy on every response. Pages get a fresh nonce per request, which
 * Next.js adds to its own scripts; anything else (API, static files) gets a policy that allows nothing.
 * Refuses first what Next.js would answer with a 500: a path that is not valid percent-encoding
 * (its router fails to decode it), a server action posted from another site.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!isDecodable(pathname)) return refusal(400, MALFORMED_PATH, pathname);
  const isDocument = !pathname.startsWith("/api/") && !pathname.startsWith("/_next/");
  if (isForeignAction(request, isDocument)) {
    return refusal(403, "Forms of this site are accepted from this site only: post from its own pages.", pathname);
  }
  if (!isDocument) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", NO_CONTENT_POLICY);
    return response;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const isDev = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (e.g. progress bar widths) are harmless enough to allow.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Pages send people signed out to sign-in with the page they asked for, query included.
  requestHeaders.set(REQUESTED_PATH_HEADER, requestedPathOf(request.nextUrl));
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

// Not on the device protocol: its reports may be up to 16 MiB, and a proxy buffers a copy of each
// body and cuts it at 10 MB (proxyClientMaxBodySize). server/device/http.ts sets the API policy itself.
// Nor on the REST API (/api/v1): no page, no session, and server/rest/responses.ts sets its policy.
// Both only for a path holding a "%", which may be malformed: no gateway or SDK sends one.
export const config = { matcher: ["/((?!api/device/|api/v1/|api/v1$).*)", "/api/:api(v1|device)/:rest(.*%.*)"] };
