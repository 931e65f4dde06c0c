/** Responses of the REST API: JSON (or text for logs), never cached, with the API's security headers. */

export const HEADERS = {
  "Cache-Control": "no-store",
  // The proxy does not run on API routes (see proxy.ts); the API policy is set here instead.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...HEADERS, "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: HEADERS });
}

export function binary(body: Buffer, contentType: string, fileName: string): Response {
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      ...HEADERS,
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    },
  });
}

