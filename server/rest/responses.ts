import { outputDownloadHeaders } from "@/server/domain/downloads";

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

/** An output file: as the portal serves it (outputDownloadHeaders: inert types only, as an attachment). */
export function outputFile(file: { content: Buffer; contentType: string; name: string }): Response {
  return new Response(new Uint8Array(file.content), { status: 200, headers: { ...HEADERS, ...outputDownloadHeaders(file) } });
}

