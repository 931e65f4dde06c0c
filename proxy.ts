import { NextResponse, type NextRequest } from "next/server";

/**
 * Sets a content security policy on every response. Pages get a fresh nonce per request, which
 * Next.js adds to its own scripts; anything else (API, static files) gets a policy that allows nothing.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const isDocument = !pathname.startsWith("/api/") && !pathname.startsWith("/_next/");
  if (!isDocument) {
    const response = NextResponse.next();
    response.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
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
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

// Not on the device protocol: its reports may be up to 16 MiB, and a proxy buffers a copy of each
// body and cuts it at 10 MB (proxyClientMaxBodySize). server/device/http.ts sets the API policy itself.
// Nor on the REST API (/api/v1): no page, no session, and server/rest/responses.ts sets its policy.
export const config = { matcher: ["/((?!api/device/|api/v1/|api/v1$).*)"] };
